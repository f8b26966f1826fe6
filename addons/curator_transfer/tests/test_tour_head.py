from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestHeadTransferTour(HttpCase):
    """Issue 10 §1: a department head transfers a leaving employee's clients
    from CRM > Transfers and reverts it from the history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "Tour department"})
        dept = "base.group_user,client_guard.group_scope_department"
        cls.head = new_test_user(
            cls.env, "tour_head", name="Head Helena", tour_enabled=False,
            groups=f"{dept},curator_transfer.group_transfer_manager,client_guard.group_plan_for_others,"
            "sales_team.group_sale_salesman_all_leads")
        cls.leaver = new_test_user(cls.env, "tour_leaver", name="Leaving Larisa", groups=dept)
        cls.successor = new_test_user(cls.env, "tour_successor", name="Successor Sasha", groups=dept)
        cls.team.write({"user_id": cls.head.id,
                        "member_ids": [(6, 0, [cls.head.id, cls.leaver.id, cls.successor.id])]})
        Partner = cls.env["res.partner"]
        cls.clients = Partner.create([
            {"name": f"Tour transfer client {i}", "is_company": True, "user_id": cls.leaver.id,
             "team_id": cls.team.id} for i in range(3)
        ])
        cls.contacts = Partner.create([
            {"name": f"Tour transfer contact {i}", "parent_id": cls.clients[i].id} for i in range(2)
        ])
        Lead = cls.env["crm.lead"]
        cls.leads = Lead.create([
            {"name": f"Tour deal {i}", "type": "opportunity", "partner_id": cls.clients[i].id,
             "user_id": cls.leaver.id, "team_id": cls.team.id} for i in range(2)
        ])
        cls.activities = cls.env["mail.activity"]
        for record in (cls.clients[0], cls.clients[1], cls.contacts[0], cls.leads[0]):
            cls.activities |= record.activity_schedule("mail.mail_activity_data_todo", user_id=cls.leaver.id)

    def test_head_transfers_and_reverts(self):
        self.start_tour("/odoo", "client_guard_head_transfer", login="tour_head", timeout=180)
        transfer = self.env["curator.transfer"].search([("user_id", "=", self.head.id)])
        self.assertEqual(len(transfer), 1)
        self.assertEqual(transfer.from_user_ids, self.leaver)
        self.assertEqual(transfer.to_user_ids, self.successor)
        self.assertEqual((transfer.client_count, transfer.contact_count, transfer.opportunity_count,
                          transfer.activity_count), (3, 2, 2, 4), "what the preview announced")
        self.assertEqual(transfer.reason, "Leaves the company")
        self.assertEqual(transfer.state, "reverted")
        self.assertEqual(transfer.revert_user_id, self.head)
        # everything is back with the leaver, and the clients' chatter says so
        self.assertEqual((self.clients | self.contacts).user_id, self.leaver)
        self.assertEqual(self.leads.user_id, self.leaver)
        self.assertEqual(self.activities.user_id, self.leaver)
        bodies = " ".join(self.clients[0].message_ids.mapped("body"))
        self.assertIn("Successor Sasha", bodies)
        self.assertIn("reverted", bodies)
