from odoo import models

from odoo.addons.client_guard.server_flags import server_flags


class PbxCall(models.Model):
    """Call notes are evidence that the calls were worked: their changes are
    audited like a client's fields (rule ``audit_rule_call``)."""

    _name = "pbx.call"
    _inherit = ["pbx.call", "client_guard.audit.mixin"]

    def _register_calls(self, calls):
        with server_flags(audit_path="pbx"):
            return super()._register_calls(calls)
