from odoo import _, models
from odoo.http import SessionExpiredException, request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _authenticate(cls, endpoint):
        result = super()._authenticate(endpoint)
        uid = request.session.uid
        if uid and request.env.uid == uid:
            cls._client_guard_check_session(uid)
        return result

    @classmethod
    def _client_guard_check_session(cls, uid):
        """The checks a signed-in session passes at each request: the user's
        trusted networks. Other modules of the suite add theirs (domain
        accounts) and end the session with :meth:`_client_guard_end_session`."""
        ip = request.httprequest.remote_addr
        if not request.env["res.users"].sudo()._client_guard_ip_allowed(uid, ip):
            cls._client_guard_end_session(
                uid,
                "session_ended",
                _("Session used from an untrusted network (%s): ended.", ip),
                _("Your session was ended: this network is not trusted for your user."),
            )

    @classmethod
    def _client_guard_end_session(cls, uid, event_type, details, message):
        """End the session of ``uid`` in the request under way: the security
        log gets ``details``, the browser a SessionExpired with ``message``."""
        request.env["client_guard.security.event"].sudo()._log_refusal(event_type, details, user_id=uid)
        # nothing else ran in this request yet: keep the log when the
        # exception rolls the request back (the tests share one cursor)
        request.env.cr.commit()
        request.session.logout(keep_db=True)
        raise SessionExpiredException(message)
