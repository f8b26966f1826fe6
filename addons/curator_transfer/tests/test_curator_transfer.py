from odoo.exceptions import AccessError, RedirectWarning, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCuratorTransfer(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.team_a = cls.env["crm.team"].create({"name": "Dept A"})
        cls.team_b = cls.env["crm.team"].create({"name": "Dept B"})
        dept = "base.group_user,client_guard.group_scope_department"
        cls.leaver = new_test_user(cls.env, "ct_leaver", groups=dept)
        cls.successor = new_test_user(cls.env, "ct_successor", groups=dept)
        cls.successor2 = new_test_user(cls.env, "ct_successor2", groups=dept)
        cls.successor_b = new_test_user(cls.env, "ct_successor_b", groups=dept)
        cls.other = new_test_user(cls.env, "ct_other", groups=dept)
        cls.manager = new_test_user(
            cls.env, "ct_manager",
            groups="base.group_user,client_guard.group_scope_department,curator_transfer.group_transfer_manager,"
            # Dept B is not his: moving its clients needs the right of its own
            "curator_transfer.group_transfer_all_clients,sales_team.group_sale_salesman_all_leads")
        cls.salesperson = new_test_user(cls.env, "ct_sales", groups=dept)
        cls.team_a.member_ids = [(6, 0, [cls.leaver.id, cls.successor.id, cls.successor2.id, cls.other.id,
                                         cls.manager.id, cls.salesperson.id])]
        cls.team_b.member_ids = [(6, 0, [cls.successor_b.id])]
        Partner = cls.env["res.partner"]
        cls.clients = Partner.create([
            {"name": f"Client {i}", "is_company": True, "user_id": cls.leaver.id, "team_id": cls.team_a.id}
            for i in range(4)
        ])
        cls.client_b = Partner.create(
            {"name": "Client B", "is_company": True, "user_id": cls.leaver.id, "team_id": cls.team_b.id})
        cls.contacts = Partner.create([{"name": f"Contact {i}", "parent_id": cls.clients[i].id} for i in range(2)])
        Lead = cls.env["crm.lead"]
        cls.lead_open = Lead.create({"name": "Open", "type": "opportunity", "partner_id": cls.clients[0].id,
                                     "user_id": cls.leaver.id, "team_id": cls.team_a.id})
        cls.lead_contact = Lead.create({"name": "Via contact", "type": "opportunity",
                                        "partner_id": cls.contacts[0].id, "user_id": cls.leaver.id})
        cls.lead_other = Lead.create({"name": "Other's", "type": "opportunity", "partner_id": cls.clients[0].id,
                                      "user_id": cls.other.id})
        cls.lead_lost = Lead.create({"name": "Lost", "type": "opportunity", "partner_id": cls.clients[1].id,
                                     "user_id": cls.leaver.id, "active": False, "probability": 0})
        cls.act_client = cls.clients[0].activity_schedule("mail.mail_activity_data_call", user_id=cls.leaver.id)
        cls.act_contact = cls.contacts[1].activity_schedule("mail.mail_activity_data_todo", user_id=cls.leaver.id)
        cls.act_lead = cls.lead_open.activity_schedule("mail.mail_activity_data_todo", user_id=cls.leaver.id)
        cls.act_other = cls.clients[0].activity_schedule("mail.mail_activity_data_todo", user_id=cls.other.id)

    def wizard(self, user=None, **values):
        Wizard = self.env["curator.transfer.wizard"].with_user(user or self.manager)
        return Wizard.with_context(active_model="res.users", active_id=self.leaver.id).create(values)

    def test_preview_counts(self):
        wizard = self.wizard(to_user_id=self.successor.id)
        self.assertEqual(wizard.preview_client_count, 5)
        self.assertEqual(wizard.preview_contact_count, 2)
        self.assertEqual(wizard.preview_opportunity_count, 2)
        self.assertEqual(wizard.preview_activity_count, 3)
        self.assertEqual(wizard.preview_kept_opportunity_count, 1)
        self.assertEqual(wizard.preview_kept_activity_count, 1)
        self.assertIn("ct_successor", wizard.preview_html)

    def test_transfer_from_user_form(self):
        action = self.leaver.with_user(self.manager).action_open_curator_transfer()
        wizard = self.env["curator.transfer.wizard"].with_user(self.manager).with_context(**action["context"]).create(
            {"to_user_id": self.successor.id, "team_id": self.team_a.id, "reason": "Leaves the company"})
        result = wizard.action_transfer()
        transfer = self.env["curator.transfer"].browse(result["res_id"])
        self.assertEqual((self.clients | self.client_b).user_id, self.successor)
        self.assertEqual(self.client_b.team_id, self.team_a)
        self.assertEqual(self.contacts.user_id, self.successor)
        self.assertEqual((self.lead_open | self.lead_contact).user_id, self.successor)
        self.assertEqual(self.lead_other.user_id, self.other, "someone else's opportunity stays")
        self.assertEqual(self.lead_lost.user_id, self.leaver, "closed opportunities stay")
        self.assertEqual((self.act_client | self.act_contact | self.act_lead).user_id, self.successor)
        self.assertEqual(self.act_other.user_id, self.other)
        self.assertEqual(transfer.client_count, 5)
        self.assertEqual(transfer.user_id, self.manager)
        self.assertEqual(transfer.reason, "Leaves the company")
        # curator history: one line per client
        history = self.env["res.partner.curator.history"].search(
            [("partner_id", "in", self.clients.ids), ("user_id", "=", self.successor.id)])
        self.assertEqual(len(history), 4)
        self.assertEqual(history.previous_user_id, self.leaver)
        # one chatter note per client, one notification for the successor
        notes = self.env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "=", self.clients[0].id),
                                                 ("body", "ilike", "Curator transferred")])
        self.assertEqual(len(notes), 1)
        notifications = self.env["mail.message"].search([
            ("model", "=", "curator.transfer"), ("res_id", "=", transfer.id),
            ("partner_ids", "in", self.successor.partner_id.ids)])
        self.assertEqual(len(notifications), 1)

    def test_transfer_from_list_selection(self):
        Wizard = self.env["curator.transfer.wizard"].with_user(self.manager).with_context(
            active_model="res.partner", active_ids=self.clients[:2].ids)
        form = Form(Wizard)
        self.assertEqual(form.from_user_id, self.leaver)
        form.to_user_id = self.successor
        form.save().action_transfer()
        self.assertEqual(self.clients[:2].user_id, self.successor)
        self.assertEqual(self.clients[2:].user_id, self.leaver)

    def test_split_evenly(self):
        wizard = self.wizard(split_mode="even", to_user_ids=[(6, 0, [self.successor.id, self.successor2.id])],
                             partner_ids=[(6, 0, self.clients.ids)])
        wizard.action_transfer()
        counts = {u: len(self.clients.filtered(lambda c, u=u: c.user_id == u)) for u in (self.successor,
                                                                                        self.successor2)}
        self.assertEqual(counts, {self.successor: 2, self.successor2: 2})

    def test_split_by_department(self):
        wizard = self.wizard(split_mode="department")
        wizard._onchange_split_mode()
        for line in wizard.department_line_ids:
            line.user_id = self.successor if line.team_id == self.team_a else self.successor_b
        wizard.action_transfer()
        self.assertEqual(self.clients.user_id, self.successor)
        self.assertEqual(self.client_b.user_id, self.successor_b)

    def test_revert_and_skip(self):
        result = self.wizard(to_user_id=self.successor.id, partner_ids=[(6, 0, self.clients.ids)]).action_transfer()
        transfer = self.env["curator.transfer"].browse(result["res_id"])
        # one client changes again after the transfer: the revert must skip it
        self.env.cr.execute("UPDATE res_partner SET write_date = now() + interval '1 hour' WHERE id = %s",
                            [self.clients[3].id])
        self.clients[3].invalidate_recordset()
        transfer.with_user(self.manager).action_revert()
        self.assertEqual(transfer.state, "partially_reverted")
        self.assertIn("changed since the transfer", transfer.revert_report)
        self.assertEqual(self.clients[:3].user_id, self.leaver)
        self.assertEqual(self.clients[3].user_id, self.successor)
        self.assertEqual(self.lead_open.user_id, self.leaver)
        self.assertEqual(self.act_client.user_id, self.leaver)

    def test_salesperson_cannot_transfer(self):
        with self.assertRaises(AccessError):
            self.wizard(user=self.salesperson, to_user_id=self.salesperson.id)
        with self.assertRaises(AccessError):
            self.env["curator.transfer.wizard"].with_user(self.salesperson).transfer_clients(
                self.leaver.id, self.salesperson.id)
        self.assertEqual(self.clients.user_id, self.leaver)

    def test_bad_input(self):
        cases = [
            ({"to_user_id": self.leaver.id}, "someone else"),
            ({"to_user_id": self.successor.id, "partner_ids": [(5, 0, 0)]}, "at least one client"),
        ]
        archived = new_test_user(self.env, "ct_archived", groups="base.group_user")
        archived.active = False
        cases.append(({"to_user_id": archived.id}, "archived"))
        portal = new_test_user(self.env, "ct_portal", groups="base.group_portal")
        cases.append(({"to_user_id": portal.id}, "internal"))
        cases.append(({"to_user_id": self.successor_b.id, "partner_ids": [(6, 0, self.clients[:1].ids)]},
                      "cannot see the department"))
        for values, message in cases:
            with self.assertRaises(UserError, msg=message) as ctx:
                self.wizard(**values).action_transfer()
            self.assertIn(message, str(ctx.exception))
        self.assertEqual(self.clients.user_id, self.leaver)
        self.assertFalse(self.env["curator.transfer"].search([]))

    def test_private_clients(self):
        private = self.env["res.partner"].create({
            "name": "Private", "is_company": True, "user_id": self.leaver.id, "team_id": self.team_a.id,
            "is_private": True, "trusted_user_ids": [(6, 0, [self.successor2.id])]})
        wizard = self.wizard(to_user_id=self.successor.id)
        self.assertNotIn(private, wizard.sudo().partner_ids, "not offered to an untrusted manager")
        with self.assertRaises(UserError):
            self.wizard(to_user_id=self.successor.id, partner_ids=[(6, 0, private.ids)]).action_transfer()
        self.assertEqual(private.user_id, self.leaver)
        # to the client's own trusted user: allowed
        self.wizard(to_user_id=self.successor2.id, partner_ids=[(6, 0, private.ids)]).action_transfer()
        self.assertEqual(private.user_id, self.successor2)

    def test_archive_guard(self):
        admin = new_test_user(self.env, "ct_admin", groups="base.group_system,curator_transfer.group_transfer_manager")
        with self.assertRaises(RedirectWarning):
            self.leaver.with_user(admin).action_archive()
        self.assertTrue(self.leaver.active)
        self.env["ir.config_parameter"].sudo().set_param("curator_transfer.allow_archive_with_clients", "True")
        self.leaver.with_user(admin).action_archive()
        self.assertFalse(self.leaver.active)

    # issue 10: what the head saw in the browser
    def test_preview_in_the_form(self):
        """The form's preview counted 0 opportunities and 0 activities (its
        clients are new records there), also when opened from a user's form."""
        self.client_b.team_id = self.team_a  # the form shows the clients: all in the head's department
        for context in ({"active_model": "res.users", "active_id": self.leaver.id},
                        self.leaver.with_user(self.manager).action_open_curator_transfer()["context"]):
            Wizard = self.env["curator.transfer.wizard"].with_user(self.manager).with_context(**context)
            form = Form(Wizard)
            form.to_user_id = self.successor
            self.assertEqual(form.preview_client_count, 5)
            self.assertEqual(form.preview_contact_count, 2)
            self.assertEqual(form.preview_opportunity_count, 2)
            self.assertEqual(form.preview_activity_count, 3)
            self.assertEqual(form.preview_kept_opportunity_count, 1)
            self.assertEqual(form.preview_kept_activity_count, 1)
        form.team_id = self.team_a
        form.reason = "Уходит из компании"
        transfer = self.env["curator.transfer"].browse(form.save().action_transfer()["res_id"])
        self.assertEqual((transfer.opportunity_count, transfer.activity_count), (2, 3))

    def test_successor_is_not_a_source(self):
        transfer = self.env["curator.transfer"].browse(
            self.wizard(to_user_id=self.successor.id, team_id=self.team_a.id).action_transfer()["res_id"])
        self.assertEqual(transfer.from_user_ids, self.leaver)
        self.assertEqual(transfer.to_user_ids, self.successor)
        self.assertNotIn(self.successor.name, transfer.name.split("→")[0])

    def test_revert_posts_on_the_clients(self):
        # the clients keep their departments: a revert passes the transfer's checks, and the
        # leaver does not see Dept B, where a transfer into Dept A would have to send one back
        wizard = self.wizard(to_user_id=self.successor.id, partner_ids=[(6, 0, self.clients.ids)])
        transfer = self.env["curator.transfer"].browse(wizard.action_transfer()["res_id"])
        before = self.clients[0].message_ids
        transfer.with_user(self.manager).action_revert()
        self.assertEqual(self.clients[0].user_id, self.leaver)
        posted = self.clients[0].message_ids - before
        self.assertEqual(len(posted), 1, "one note on the client's chatter, as the transfer did")
        self.assertIn(self.leaver.name, posted.body)
        self.assertIn(self.manager.name, posted.body)
