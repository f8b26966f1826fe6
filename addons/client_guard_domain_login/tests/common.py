from unittest import SkipTest

from odoo.tests import TransactionCase, new_test_user

from . import domain_servers as ds


class DomainCase(TransactionCase):
    """A real OpenLDAP server with the directory of ``domain_servers``, an
    Odoo LDAP configuration with a template user and three roles:
    group crm-own -> own level, Moscow; group crm-heads -> department level,
    Moscow, Plan for others; OU spb -> Saint Petersburg."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if ds.MISSING:
            # counted as a failure, not a skip: the directory tests must run in CI
            raise AssertionError(f"Directory servers missing: {', '.join(ds.MISSING)} (see .ci/run)")
        if not cls.registry.in_test_mode() and not hasattr(cls, "browser"):
            # sign-ins open their own cursors: make them see this test's data (HttpCase does it itself)
            cls.registry.enter_test_mode(cls.cr)
            cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.slapd = ds.Slapd().start()
        cls.addClassCleanup(cls.slapd.stop)
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Team = cls.env["crm.team"]
        cls.team_msk = Team.create({"name": "Domain Moscow"})
        cls.team_spb = Team.create({"name": "Domain SPb"})
        cls.head_spb = new_test_user(cls.env, "dom_spb_head", groups="base.group_user,client_guard.group_scope_all")
        cls.team_spb.user_id = cls.head_spb
        cls.template = new_test_user(
            cls.env, "dom_template", groups="base.group_user,client_guard.group_scope_own")
        cls.template.active = False
        cls.plan = cls.env.ref("client_guard.group_plan_for_others")
        cls.ldap = cls.env["res.company.ldap"].create({
            "company": cls.env.company.id,
            "ldap_server": "127.0.0.1",
            "ldap_server_port": cls.slapd.port,
            "ldap_base": ds.BASE_DN,
            "ldap_filter": ds.LDAP_FILTER,
            "user": cls.template.id,
            "create_user": True,
            "client_guard_role_ids": [
                (0, 0, {"name": "Sales", "match": "group", "ldap_dn": ds.group_dn("crm-own"), "level": "own",
                        "sequence": 1}),
                (0, 0, {"name": "Heads", "match": "group", "ldap_dn": ds.group_dn("crm-heads"),
                        "level": "department", "team_ids": [(6, 0, cls.team_msk.ids)],
                        "group_ids": [(6, 0, cls.plan.ids)], "sequence": 2}),
                (0, 0, {"name": "Moscow office", "match": "ou", "ldap_dn": f"ou=moscow,ou=people,{ds.BASE_DN}",
                        "team_ids": [(6, 0, cls.team_msk.ids)], "sequence": 3}),
                (0, 0, {"name": "SPb office", "match": "ou", "ldap_dn": f"ou=spb,ou=people,{ds.BASE_DN}",
                        "team_ids": [(6, 0, cls.team_spb.ids)], "sequence": 4}),
            ],
        })

    def setUp(self):
        super().setUp()
        # every test starts from the same directory
        for name, members in ds.GROUPS.items():
            self.slapd.set_group_members(name, members)
        for login in ds.USERS:
            self.slapd.enable(login)

    def sign_in(self, login, password):
        """Sign in with a password as the login page does (interactive)."""
        info = self.registry["res.users"].authenticate(
            self.env.cr.dbname, {"type": "password", "login": login, "password": password}, {"interactive": True})
        self.env.invalidate_all()
        return self.env["res.users"].browse(info["uid"])

    def events(self, event_type):
        return self.env["client_guard.security.event"].sudo().search([("event_type", "=", event_type)])

    def level(self, user):
        for name in ("all", "department", "own"):
            if user.has_group(f"client_guard.group_scope_{name}"):
                return name
        return None


__all__ = ["DomainCase", "SkipTest", "ds"]
