from odoo import models

from odoo.addons.client_guard.server_flags import server_flag


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _children_sync(self, values):
        # A transfer writes clients and their contacts in one set-based call:
        # the per-company sync to children would only repeat that, one company
        # at a time. Only the transfer itself (a server flag, never the
        # caller's context) can ask for it.
        if self.env.su and server_flag("curator_transfer_bulk"):
            return
        return super()._children_sync(values)
