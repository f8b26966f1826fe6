from odoo import models


class PbxCall(models.Model):
    _inherit = "pbx.call"

    def _register_calls(self, calls):
        return super(PbxCall, self.with_context(client_guard_audit_path="pbx"))._register_calls(calls)
