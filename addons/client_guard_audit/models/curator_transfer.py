from odoo import api, models

from odoo.addons.client_guard.server_flags import server_flags


class CuratorTransfer(models.Model):
    _inherit = "curator.transfer"

    @api.model
    def _write_many(self, records, vals):
        # opportunities are moved in SQL: remember their audited values first
        if hasattr(records, "_audit_prepare"):
            records._audit_prepare(path="transfer", vals=vals)
        with server_flags(audit_path="transfer"):
            return super()._write_many(records, vals)
