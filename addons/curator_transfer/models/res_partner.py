from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _children_sync(self, values):
        # A transfer writes clients and their contacts in one set-based call:
        # the per-company sync to children would only repeat that, one company
        # at a time. Only superuser code (the transfer itself) can ask for it.
        if self.env.su and self.env.context.get("curator_transfer_bulk"):
            return
        return super()._children_sync(values)
