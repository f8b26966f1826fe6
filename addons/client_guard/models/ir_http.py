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
        ip = request.httprequest.remote_addr
        if not users._client_guard_ip_allowed(uid, ip):
            request.env["client_guard.security.event"].sudo()._log_refusal(
                "session_ended", _("Session used from an untrusted network (%s): ended.", ip), user_id=uid
            )
            request.session.logout(keep_db=True)
            raise SessionExpiredException(_("Your session was ended: this network is not trusted for your user."))
