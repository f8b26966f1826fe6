from odoo import _, models
from odoo.http import SessionExpiredException, request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _authenticate(cls, endpoint):
        super()._authenticate(endpoint)
        uid = request.session.uid
        if not uid or request.env.uid != uid:
            return
        users = request.env["res.users"].sudo()
        if not users._client_guard_domain_session_allowed(uid):
            request.env["client_guard.security.event"].sudo()._log_refusal(
                "domain_refused", _("Session ended: the domain account is disabled or removed."), user_id=uid
            )
            request.env.cr.commit()  # nothing else ran in this request yet; the log must stay
            request.session.logout(keep_db=True)
            raise SessionExpiredException(_("Your session was ended: your domain account is disabled."))
