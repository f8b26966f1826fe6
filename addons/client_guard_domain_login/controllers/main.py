import logging

from werkzeug.exceptions import Forbidden

from odoo import SUPERUSER_ID, _, http
from odoo.exceptions import AccessDenied
from odoo.http import request

from odoo.addons.web.controllers.utils import ensure_db

_logger = logging.getLogger(__name__)

HEADER = "X-Remote-User"


class ClientGuardDomainLogin(http.Controller):
    @http.route("/client_guard/sso", type="http", auth="none", methods=["GET"], sitemap=False, readonly=False)
    def client_guard_sso(self, redirect=None, **kwargs):
        """Single sign-on: the reverse proxy in front of Odoo checked the
        browser's Kerberos ticket on this URL and passes the authenticated
        name in a header. Accepted only from the proxies the administrator
        lists (the address of the connection itself, not a forwarded one)."""
        ensure_db()
        if not request.db:
            raise Forbidden()
        if not request.uid:
            request.update_env(user=SUPERUSER_ID)  # as Odoo's login page, to render the refusal
        environ = request.httprequest.environ
        peer = environ.get("werkzeug.proxy_fix.orig", {}).get("REMOTE_ADDR") or environ.get("REMOTE_ADDR")
        principal = request.httprequest.headers.get(HEADER)
        Users = request.env["res.users"].sudo()
        try:
            login = Users._client_guard_sso_login(principal, peer)
            token = Users._client_guard_sso_token(login)
            request.env.cr.commit()  # the first sign-in created the user: the session reads it
            request.session.authenticate(
                request.db, {"type": "client_guard_sso", "login": login, "token": token, "password": None})
        except AccessDenied as exc:
            request.env.cr.commit()  # keep the refusal in the security log
            message = exc.args[0] if exc.args and exc.args[0] != "Access Denied" else _(
                "Single sign-on refused.")
            _logger.info("Single sign-on refused from %s for %r: %s", peer, principal, message)
            response = request.render("client_guard_domain_login.sso_refused", {"message": message})
            response.status_code = 403
            return response
        target = redirect if redirect and redirect.startswith("/") and not redirect.startswith("//") else "/odoo"
        return request.redirect(target, local=True)
