import ipaddress
import logging
import threading

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessDenied
from odoo.http import request

_logger = logging.getLogger(__name__)


def _request_ip():
    """The client address of the current HTTP request or RPC call, or None
    when the code does not run for a remote client (cron, shell, tests)."""
    try:
        if request:
            return request.httprequest.remote_addr
    except RuntimeError:
        _logger.debug("no HTTP request bound to this thread")
    return getattr(threading.current_thread(), "client_guard_ip", None)


class ResUsers(models.Model):
    _inherit = "res.users"

    extra_team_ids = fields.Many2many(
        "crm.team",
        "res_users_client_guard_extra_team_rel",
        "user_id",
        "team_id",
        string="Extra Departments",
        help="Departments whose clients this user may read besides their own sales teams "
        "(department visibility level), e.g. for lead generation.",
    )
    client_guard_team_ids = fields.Many2many(
        "crm.team",
        compute="_compute_client_guard_team_ids",
        string="Visible Departments",
        help="Sales teams the user is a member or leader of, plus the extra departments.",
    )
    client_guard_deputy_for_ids = fields.Many2many(
        "res.users",
        relation="res_users_client_guard_deputy_for_rel",
        column1="deputy_id",
        column2="curator_id",
        compute="_compute_client_guard_deputy_for_ids",
        string="Deputy For",
        help="Curators whose clients this user looks after today as their deputy "
        "(filled by client_guard_intake; used next to the user in the record rules).",
    )
    trusted_network_ids = fields.One2many(
        "res.users.trusted.network",
        "user_id",
        string="Trusted Networks",
        help="If set, the user may only log in and work from these IP networks.",
    )

    @api.depends("crm_team_ids", "extra_team_ids")
    def _compute_client_guard_team_ids(self):
        teams = self.env["crm.team"].sudo().with_context(active_test=False)
        # the teams the stored users lead, in one query for all of them (a PBX batch reads the departments
        # of twenty curators at once), in the teams' order, as a search per user would give them
        stored_ids = [user.id for user in self if isinstance(user.id, int)]
        led_ids = {}
        for team in teams.search_fetch([("user_id", "in", stored_ids)], ["user_id"]) if stored_ids else teams:
            led_ids.setdefault(team.user_id.id, []).append(team.id)
        for user in self:
            if isinstance(user.id, int):
                led = teams.browse(led_ids.get(user.id, ()))
            else:  # a user in a form (new record): as before, a search of its own
                led = teams.search([("user_id", "=", user.id)]) if user.id else teams
            user.client_guard_team_ids = (
                user.sudo().crm_team_ids | user.sudo().extra_team_ids | led
            )

    def _compute_client_guard_deputy_for_ids(self):
        # hook: client_guard_intake's deputies fill it in
        for user in self:
            user.client_guard_deputy_for_ids = False

    def _client_guard_scope_keys(self):
        """The visibility keys (``res.partner.client_guard_scope_key``) of the
        clients this user may reach at their level, a superset of what the
        level rules allow: -1 (partners that are not clients), the user's
        departments, and the departments of the clients curated by the user
        and by the curators they deputise for. Read by the global rule
        ``rule_partner_scope_key`` (its domain is cached per user; the key's
        computation drops the cache when a client is curated from outside
        its department)."""
        self.ensure_one()
        curators = self | self.client_guard_deputy_for_ids
        keys = {-1, *curators.client_guard_team_ids.ids}
        self.env["res.partner"].flush_model(["client_guard_scope_key", "user_id"])
        # one index probe per department (the index leads with the key, then the curator)
        self.env.cr.execute(
            """SELECT k.key FROM (SELECT id AS key FROM crm_team UNION ALL SELECT -2) k
                WHERE NOT k.key = ANY(%s) AND EXISTS (
                    SELECT 1 FROM res_partner p WHERE p.client_guard_scope_key = k.key AND p.user_id = ANY(%s))""",
            [list(keys), curators.ids],
        )
        keys.update(row[0] for row in self.env.cr.fetchall())
        return sorted(keys)

    def _client_guard_is_protected(self):
        self.ensure_one()
        return self.has_group("client_guard.group_scope_own")

    def write(self, vals):
        result = super().write(vals)
        if "extra_team_ids" in vals:
            # record rules read the user's departments: drop cached rule domains
            self.env.registry.clear_cache()
        return result

    # ------------------------------------------------------------------
    # Trusted networks
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache("uid")
    def _client_guard_networks(self, uid):
        networks = self.env["res.users.trusted.network"].sudo().search([("user_id", "=", uid)])
        return tuple(networks.mapped("network"))

    @api.model
    def _client_guard_ip_allowed(self, uid, ip):
        networks = self._client_guard_networks(uid)
        if not networks:
            return True
        if not ip:
            return False
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return False
        for network in networks:
            try:
                if address in ipaddress.ip_network(network, strict=False):
                    return True
            except ValueError:
                continue
        return False

    def _check_credentials(self, credential, env):
        auth_info = super()._check_credentials(credential, env)
        self._client_guard_check_ip()
        return auth_info

    @api.model
    def _client_guard_check_ip(self):
        """Trusted networks at sign-in: the address of the current request
        must be in the networks of the user signing in (``self.env.uid``),
        otherwise the refusal is logged and AccessDenied raised. Run after a
        password check and by the sign-ins that have no password (single
        sign-on of client_guard_domain_login)."""
        ip = _request_ip()
        if ip is not None and not self._client_guard_ip_allowed(self.env.uid, ip):
            self.env["client_guard.security.event"]._log_refusal(
                "login_refused",
                _("Login from an untrusted network (%s).", ip),
                user_id=self.env.uid,
            )
            raise AccessDenied(_("You cannot log in from this network."))

    @classmethod
    def check(cls, db, uid, passwd):
        result = super().check(db, uid, passwd)
        ip = _request_ip()
        if ip is not None:
            with cls.pool.cursor() as cr:
                env = api.Environment(cr, uid, {})
                if not env["res.users"]._client_guard_ip_allowed(uid, ip):
                    env["client_guard.security.event"]._log_refusal(
                        "rpc_refused", _("RPC call from an untrusted network (%s).", ip), user_id=uid
                    )
                    raise AccessDenied(_("You cannot use Odoo from this network."))
        return result
