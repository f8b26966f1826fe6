from odoo.exceptions import AccessDenied
from odoo.tests import tagged

from .common import DomainCase, ds


@tagged("post_install", "-at_install")
class TestDomainLogin(DomainCase):
    def test_first_sign_in_creates_user_from_template_with_directory_rights(self):
        user = self.sign_in("dom.ivan", "ivan-pass-1")
        self.assertEqual(user.login, "dom.ivan")
        self.assertEqual(user.name, "Ivan Domainov")
        self.assertTrue(user.active)
        self.assertEqual(user.sudo().domain_dn, ds.user_dn("dom.ivan"))
        self.assertEqual(user.sudo().domain_ldap_id, self.ldap)
        self.assertEqual(self.level(user), "own")
        self.assertIn(self.team_msk, user.crm_team_ids)
        self.assertNotIn(self.plan, user.groups_id)
        self.assertTrue(self.events("domain_login").filtered(lambda e: e.user_id == user))

    def test_wrong_password_refused_and_logged(self):
        # not assertRaises: it rolls back to a savepoint, and the refusal is logged in the test's cursor
        refused = False
        try:
            self.sign_in("dom.ivan", "wrong")
        except AccessDenied:
            refused = True
        self.assertTrue(refused, "a wrong directory password signed in")
        self.assertFalse(self.env["res.users"].search([("login", "=", "dom.ivan")]))
        self.assertTrue(self.events("domain_refused").filtered(lambda e: "dom.ivan" in (e.details or "")))

    def test_group_change_applies_at_next_sign_in(self):
        user = self.sign_in("dom.ivan", "ivan-pass-1")
        self.slapd.set_group_members("crm-heads", ["dom.head", "dom.ivan"])
        self.sign_in("dom.ivan", "ivan-pass-1")
        self.assertEqual(self.level(user), "department")
        self.assertIn(self.plan, user.groups_id)
        self.assertTrue(self.events("domain_rights").filtered(lambda e: e.user_id == user))
        # out of the group again: the level and the right managed by the directory go
        self.slapd.set_group_members("crm-heads", ["dom.head"])
        self.sign_in("dom.ivan", "ivan-pass-1")
        self.assertEqual(self.level(user), "own")
        self.assertNotIn(self.plan, user.groups_id)

    def test_nightly_sync_applies_moves_and_archives_leavers(self):
        ivan = self.sign_in("dom.ivan", "ivan-pass-1")
        olga = self.sign_in("dom.olga", "olga-pass-1")
        self.assertIn(self.team_spb, olga.crm_team_ids)
        client = self.env["res.partner"].create({
            "name": "Client of Olga", "is_company": True, "user_id": olga.id, "team_id": self.team_spb.id})
        self.slapd.set_group_members("crm-heads", ["dom.head", "dom.ivan"])
        self.slapd.disable("dom.olga")
        result = self.env["res.users"]._client_guard_domain_sync()
        self.assertEqual(result["archived"], 1)
        self.assertEqual(self.level(ivan), "department")
        self.assertFalse(olga.active)
        self.assertEqual(client.user_id, olga, "the clients wait for the transfer")
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", olga.partner_id.id)])
        self.assertEqual(activity.user_id, self.head_spb)
        self.assertTrue(self.events("domain_archived").filtered(lambda e: e.user_id == olga))
        with self.assertRaises(AccessDenied):
            self.sign_in("dom.olga", "olga-pass-1")

    def test_disabled_account_cannot_sign_in_with_password(self):
        self.sign_in("dom.ivan", "ivan-pass-1")
        self.slapd.disable("dom.ivan")
        with self.assertRaises(AccessDenied):
            self.sign_in("dom.ivan", "ivan-pass-1")
        self.slapd.enable("dom.ivan")
        self.assertTrue(self.sign_in("dom.ivan", "ivan-pass-1"))

    def test_unreachable_directory_changes_nothing(self):
        user = self.sign_in("dom.ivan", "ivan-pass-1")
        self.ldap.ldap_server_port = ds.free_port()  # nobody listens there
        result = self.env["res.users"]._client_guard_domain_sync()
        self.assertEqual(result["archived"], 0)
        self.assertTrue(user.active)
        self.assertEqual(self.level(user), "own")
