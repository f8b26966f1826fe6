from odoo import api, models


class CuratorTransfer(models.Model):
    _inherit = "curator.transfer"

    @api.model
    def _write_many(self, records, vals):
        # opportunities are moved in SQL: remember their audited values first
        records = records.with_context(client_guard_audit_path="transfer")
        if hasattr(records, "_audit_prepare"):
            records._audit_prepare(path="transfer", vals=vals)
        return super()._write_many(records, vals)
