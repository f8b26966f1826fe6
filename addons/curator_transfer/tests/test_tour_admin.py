from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestAdminTour(HttpCase):
    """Issue 10 §1: an administrator marks someone else's client private,
    grants the suite's rights from the user form, and is led to the transfer
    when archiving a user who still curates clients."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "Admin tour department"})
        dept = "base.group_user,client_guard.group_scope_department"
        cls.admin = new_test_user(
            cls.env, "tour_admin", name="Admin Alla", tour_enabled=False,
            groups="base.group_user,base.group_system,base.group_partner_manager,sales_team.group_sale_manager,"
            "curator_transfer.group_transfer_manager")
        cls.seller = new_test_user(cls.env, "tour_pavel_curator", name="Curator Kirill", groups=dept)
        cls.newcomer = new_test_user(cls.env, "tour_newcomer", name="Newcomer Nina", groups="base.group_user")
        cls.leaver = new_test_user(cls.env, "tour_lev", name="Leaving Lev", groups=dept)
        cls.successor = new_test_user(cls.env, "tour_stas", name="Staying Stas", groups=dept)
        cls.team.member_ids = [(6, 0, [cls.seller.id, cls.leaver.id, cls.successor.id])]
        Partner = cls.env["res.partner"]
        cls.private = Partner.create({"name": "Private Pavel Ltd", "is_company": True, "user_id": cls.seller.id,
                                      "team_id": cls.team.id})
        cls.private_contacts = Partner.create([
            {"name": f"Pavel's contact {i}", "parent_id": cls.private.id} for i in range(2)])
        cls.leaver_clients = Partner.create([
            {"name": f"Lev's client {i}", "is_company": True, "user_id": cls.leaver.id, "team_id": cls.team.id}
            for i in range(2)])

    def test_admin_day(self):
        # the refused archive is a RedirectWarning, which Odoo logs as an error
        with mute_logger("odoo.http"):
            self.start_tour("/odoo", "client_guard_admin_day", login="tour_admin", timeout=240)
        # 1. private, with its contacts, curator unchanged; out of the admin's sight
        self.assertTrue(self.private.is_private)
        self.assertTrue(all(self.private_contacts.mapped("is_private")))
        self.assertEqual(self.private.user_id, self.seller)
        self.assertFalse(self.env["res.partner"].with_user(self.admin).search([("id", "=", self.private.id)]))
        # 2. rights granted from the form
        self.assertTrue(self.newcomer.has_group("client_guard.group_scope_department"))
        self.assertFalse(self.newcomer.has_group("client_guard.group_scope_all"))
        self.assertTrue(self.newcomer.has_group("client_guard.group_plan_for_others"))
        # 3. the archive was refused, the clients went to the successor
        self.assertTrue(self.leaver.active, "not archived while curating clients")
        self.assertEqual(self.leaver_clients.user_id, self.successor)
        transfer = self.env["curator.transfer"].search([("user_id", "=", self.admin.id)])
        self.assertEqual(transfer.from_user_ids, self.leaver)

    def test_archive_refusal_leads_to_a_wizard_the_web_client_can_open(self):
        """The RedirectWarning's action is run by the web client as is: without
        "views" it failed ("Cannot read properties of undefined")."""
        action = self.leaver.with_user(self.admin).action_open_curator_transfer()
        self.assertEqual(action["views"], [(False, "form")])
