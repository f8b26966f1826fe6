import contextvars
import ipaddress
import logging
import secrets
import threading
import time

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessDenied

from .client_guard_domain_role import LEVEL_GROUPS, LEVEL_RANK
from .res_company_ldap import FOUND, MISSING

_logger = logging.getLogger(__name__)

# Single sign-on: the controller, having checked the proxy's header, hands the
# login to Odoo's authentication as a one-time token that only lives in this
# process for a few seconds. A request cannot forge it: it never leaves the
# server.
_SSO_TOKENS = {}
_SSO_LOCK = threading.Lock()
SSO_TOKEN_SECONDS = 30
# Set by the nightly sync while it archives leavers (server code only; a
# request cannot set it): the archive guard of curator_transfer lets it
# through and the heads get an activity to run the transfer instead.
_SYNC_ARCHIVING = contextvars.ContextVar("client_guard_domain_sync_archiving", default=False)
# How the sign-in in progress was made, for the log of a first sign-in
_SIGNIN_METHOD = contextvars.ContextVar("client_guard_domain_signin_method", default="password")
# Last directory check of a signed-in user, per process: {(db, uid): time}
_LAST_CHECK = {}


def _param(env, key, default=""):
    return env["ir.config_parameter"].sudo().get_param(f"client_guard_domain_login.{key}", default)


class ResUsers(models.Model):
    _inherit = "res.users"

    domain_ldap_id = fields.Many2one(
        "res.company.ldap", string="Directory", readonly=True, copy=False, ondelete="set null",
        groups="base.group_system,client_guard.group_security_officer",
        help="Set when the user signed in with the domain account: the nightly sync keeps the user's "
        "rights in step with the directory and archives the user when the account is disabled or removed.",
    )
    domain_dn = fields.Char(
        string="Directory Entry", readonly=True, copy=False,
        groups="base.group_system,client_guard.group_security_officer",
    )

    # ------------------------------------------------------------------
    # Rights from the directory
    # ------------------------------------------------------------------
    def _client_guard_domain_signed_in(self, conf, entry, method="password"):
        """A successful sign-in of ``self`` with directory ``conf``: link the
        user to the directory entry, apply the roles, log the sign-in."""
        self.ensure_one()
        user = self.sudo()
        if user.domain_ldap_id.id != conf["id"] or user.domain_dn != entry[0]:
            user.write({"domain_ldap_id": conf["id"], "domain_dn": entry[0]})
        user._client_guard_domain_apply(conf, entry)
        self.env["client_guard.security.event"]._log_change(
            "domain_login",
            _("Signed in with the domain account %(login)s (%(method)s).", login=user.login,
              method=_("Kerberos ticket") if method == "kerberos" else _("directory password")),
            user_id=user.id,
        )

    def _client_guard_domain_apply(self, conf, entry):
        """Give ``self`` the visibility level, departments and rights of the
        directory roles that match ``entry``; remove those that roles manage
        and no longer give. Returns True when something changed."""
        self.ensure_one()
        user = self.sudo()
        Ldap = self.env["res.company.ldap"].sudo()
        roles = Ldap._client_guard_roles(conf, entry, user.login)
        if roles is None:
            return False
        all_roles = self.env["client_guard.domain.role"].sudo().search([])
        before = user._client_guard_domain_rights()

        level = max(roles.mapped("level") or ["own"], key=lambda lvl: LEVEL_RANK.get(lvl, 0)) or "own"
        commands = [(4, self.env.ref(LEVEL_GROUPS[level]).id)]
        commands += [
            (3, self.env.ref(xmlid).id) for name, xmlid in LEVEL_GROUPS.items() if LEVEL_RANK[name] > LEVEL_RANK[level]
        ]
        managed_groups = all_roles.group_ids
        commands += [(4, group.id) for group in roles.group_ids]
        commands += [(3, group.id) for group in managed_groups - roles.group_ids]
        values = {"groups_id": commands}

        managed_teams = all_roles.team_ids
        teams = roles.sorted(lambda role: (role.sequence, role.id)).team_ids
        if managed_teams:
            values["extra_team_ids"] = [(4, team.id) for team in teams[1:]] + [
                (3, team.id) for team in managed_teams - teams[1:]
            ]
        user.write(values)
        if managed_teams:
            user._client_guard_domain_set_team(teams[:1], managed_teams)

        after = user._client_guard_domain_rights()
        if before != after:
            self.env["client_guard.security.event"]._log_change(
                "domain_rights",
                _("Rights set from the directory for %(user)s: %(before)s -> %(after)s.",
                  user=user.login, before="; ".join(before) or "-", after="; ".join(after) or "-"),
                user_id=user.id,
            )
            return True
        return False

    def _client_guard_domain_set_team(self, team, managed_teams):
        """Make the user a member of ``team`` (at most one) and of no other
        team of ``managed_teams``."""
        Member = self.env["crm.team.member"].sudo().with_context(active_test=False)
        memberships = Member.search([("user_id", "=", self.id), ("crm_team_id", "in", managed_teams.ids)])
        stale = memberships.filtered(lambda m: m.crm_team_id != team and m.active)
        if stale:
            stale.write({"active": False})
        if team:
            current = memberships.filtered(lambda m: m.crm_team_id == team)
            if not current:
                Member.create({"user_id": self.id, "crm_team_id": team.id})
            elif not current.active:
                current.write({"active": True})

    def _client_guard_domain_rights(self):
        """What the directory manages of the user, as sorted labels (for the log)."""
        self.ensure_one()
        roles = self.env["client_guard.domain.role"].sudo().search([])
        groups = self.groups_id & (roles.group_ids | self.env["res.groups"].browse(
            [self.env.ref(xmlid).id for xmlid in LEVEL_GROUPS.values()]))
        teams = (self.crm_team_ids | self.extra_team_ids) & roles.team_ids
        return sorted(groups.mapped("full_name")) + sorted(teams.mapped("name"))

    # ------------------------------------------------------------------
    # Authentication
    # ------------------------------------------------------------------
    @api.model
    def _client_guard_sso_token(self, login):
        token = secrets.token_urlsafe(32)
        with _SSO_LOCK:
            now = time.monotonic()
            for key in [k for k, (_login, stamp) in _SSO_TOKENS.items() if now - stamp > SSO_TOKEN_SECONDS]:
                del _SSO_TOKENS[key]
            _SSO_TOKENS[token] = (login, now)
        return token

    @classmethod
    def _login(cls, db, credential, user_agent_env):
        try:
            return super()._login(db, credential, user_agent_env=user_agent_env)
        except AccessDenied:
            if credential.get("type") == "password":
                with cls.pool.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    if env["res.company.ldap"]._get_ldap_dicts():
                        env["client_guard.security.event"]._log_refusal(
                            "domain_refused",
                            env._("Sign-in refused for %s: wrong password, or the account is disabled or "
                                  "unknown to the directory.", credential.get("login")),
                        )
            raise

    def _check_credentials(self, credential, env):
        if credential.get("type") == "client_guard_sso":
            with _SSO_LOCK:
                login, stamp = _SSO_TOKENS.pop(credential.get("token") or "", (None, 0))
            if not login or login != self.env.user.login or time.monotonic() - stamp > SSO_TOKEN_SECONDS:
                raise AccessDenied()
            auth_info = {"uid": self.env.user.id, "auth_method": "kerberos", "mfa": "default"}
            # trusted networks apply as after a password (client_guard)
            self._client_guard_check_ip()
            return auth_info
        auth_info = super()._check_credentials(credential, env)
        if auth_info.get("auth_method") == "ldap" and env and env.get("interactive"):
            self._client_guard_domain_password_signed_in()
        return auth_info

    def _client_guard_domain_password_signed_in(self):
        user = self.env.user
        Ldap = self.env["res.company.ldap"].sudo()
        for conf in Ldap._get_ldap_dicts():
            status, entry = Ldap._client_guard_lookup(conf, user.login)
            if status == FOUND:
                user._client_guard_domain_signed_in(conf, entry)
                return

    @api.model
    def _client_guard_sso_login(self, principal, peer):
        """Resolve the principal a proxy authenticated (``ivan@CORP.EXAMPLE``)
        to an active user allowed by the directory; returns the login to sign
        in. Refusals are logged and raise AccessDenied with the reason."""
        Event = self.env["client_guard.security.event"].sudo()

        def refuse(message):
            Event._log_refusal("domain_refused", message)
            raise AccessDenied(message)

        proxies = [p.strip() for p in _param(self.env, "proxy_addresses").split(",") if p.strip()]
        if not _address_in(peer, proxies):
            refuse(_("Single sign-on header received from %s, which is not a trusted proxy: refused.", peer))
        principal = (principal or "").strip()
        if not principal or principal == "(null)":
            refuse(_("The proxy passed no authenticated name: check its configuration."))
        login, _sep, realm = principal.partition("@")
        realms = [r.strip().upper() for r in _param(self.env, "realms").split(",") if r.strip()]
        if realms and realm.upper() not in realms:
            refuse(_("Kerberos realm %s is not accepted.", realm or "-"))
        login = login.split("\\")[-1].strip().lower()
        Ldap = self.env["res.company.ldap"].sudo()
        for conf in Ldap._get_ldap_dicts():
            status, entry = Ldap._client_guard_lookup(conf, login)
            if status == FOUND:
                user = self.sudo().with_context(active_test=False).search([("login", "=ilike", login)], limit=1)
                if user and not user.active:
                    refuse(_("Domain account %s: the Odoo user is archived.", login))
                if not user:
                    token = _SIGNIN_METHOD.set("kerberos")
                    try:
                        user = self.browse(Ldap._get_or_create_user(conf, login, entry))
                    finally:
                        _SIGNIN_METHOD.reset(token)
                    return user.login
                user._client_guard_domain_signed_in(conf, entry, method="kerberos")
                return user.login
            if status == MISSING:
                continue
        refuse(_("Domain account %s is disabled, removed or unknown to the directory.", login))

    @api.model
    def _client_guard_domain_session_allowed(self, uid):
        """False when ``uid`` signed in with the domain account that the
        directory no longer has (disabled or removed). Checked at most every
        ``check_interval`` seconds per process (0: at every request)."""
        self.env.cr.execute("SELECT domain_ldap_id, login FROM res_users WHERE id = %s", (uid,))
        row = self.env.cr.fetchone()
        if not row or not row[0]:
            return True
        interval = int(_param(self.env, "check_interval", "0") or 0)
        key = (self.env.cr.dbname, uid)
        now = time.monotonic()
        if interval and now - _LAST_CHECK.get(key, -interval) < interval:
            return True
        Ldap = self.env["res.company.ldap"].sudo()
        confs = [conf for conf in Ldap._get_ldap_dicts() if conf["id"] == row[0]]
        if not confs:
            return True
        status, _entry = Ldap._client_guard_lookup(confs[0], row[1])
        if status == MISSING:
            _LAST_CHECK.pop(key, None)
            return False
        _LAST_CHECK[key] = now
        return True

    # ------------------------------------------------------------------
    # Nightly sync
    # ------------------------------------------------------------------
    @api.model
    def _client_guard_domain_sync(self):
        """Apply the directory to every user linked to it: rights of those
        moved in the directory, archiving of those disabled or removed (their
        department heads get an activity to transfer their clients)."""
        Ldap = self.env["res.company.ldap"].sudo()
        confs = {conf["id"]: conf for conf in Ldap._get_ldap_dicts()}
        users = self.sudo().search([("domain_ldap_id", "in", list(confs))])
        archived = changed = 0
        for user in users:
            conf = confs[user.domain_ldap_id.id]
            status, entry = Ldap._client_guard_lookup(conf, user.login)
            if status == FOUND:
                changed += bool(user._client_guard_domain_apply(conf, entry))
            elif status == MISSING:
                user._client_guard_domain_archive()
                archived += 1
        _logger.info("Directory sync: %s users, %s rights changed, %s archived", len(users), changed, archived)
        return {"users": len(users), "changed": changed, "archived": archived}

    def _client_guard_domain_archive(self):
        self.ensure_one()
        user = self.sudo()
        heads = (user.crm_team_ids | user.extra_team_ids).user_id - user
        token = _SYNC_ARCHIVING.set(True)
        try:
            user.write({"active": False})
        finally:
            _SYNC_ARCHIVING.reset(token)
        self.env["client_guard.security.event"]._log_change(
            "domain_archived",
            _("%(user)s was disabled or removed in the directory: user archived, sessions ended.", user=user.login),
            user_id=user.id,
        )
        clients = self.env["res.partner"].sudo().search_count(
            [("user_id", "=", user.id), ("is_client", "=", True), ("parent_id", "=", False)])
        if not clients:
            return
        if not heads:
            heads = self.env.ref("base.user_admin", raise_if_not_found=False) or self.env["res.users"]
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        self.env["mail.activity"].sudo().create([
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": user.partner_id.id,
                "activity_type_id": activity_type.id if activity_type else False,
                "summary": _("Transfer the clients of %s", user.name),
                "note": _("%(user)s left the directory and was archived; %(count)s clients still have them as "
                          "curator. Run the curator transfer (CRM > Transfers).", user=user.name, count=clients),
                "user_id": head.id,
            }
            for head in heads
        ])

    def _curator_transfer_check_archive(self):
        if _SYNC_ARCHIVING.get():
            return None
        return super()._curator_transfer_check_archive()


def _address_in(address, networks):
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    for network in networks:
        try:
            if ip in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False
