from odoo import _, models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _client_guard_check_session(cls, uid):
        """A session of a domain account ends at the next request once the
        directory disabled or removed the account."""
        result = super()._client_guard_check_session(uid)
        if not request.env["res.users"].sudo()._client_guard_domain_session_allowed(uid):
            cls._client_guard_end_session(
                uid,
                "domain_refused",
                _("Session ended: the domain account is disabled or removed."),
                _("Your session was ended: your domain account is disabled."),
            )
        return result
