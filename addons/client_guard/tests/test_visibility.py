from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ClientGuardCase


@tagged("post_install", "-at_install")
class TestVisibility(ClientGuardCase):
    def test_own_level_sees_own_clients_only(self):
        self.assertEqual(self.visible(self.user_own), self.client_own | self.client_private)
        with self.assertRaises(AccessError):
            self.client_b.with_user(self.user_own).read(["name"])
        # contacts follow their company
        self.assertEqual(self.contact_own.user_id, self.user_own)
        self.assertTrue(self.env["res.partner"].with_user(self.user_own).search([("id", "=", self.contact_own.id)]))

    def test_department_level_sees_department(self):
        self.assertEqual(self.visible(self.user_dept), self.client_own | self.client_dept)

    def test_extra_departments(self):
        self.assertEqual(self.visible(self.user_lg), self.client_b)
        self.user_lg.extra_team_ids = [(5, 0, 0)]
        self.assertFalse(self.visible(self.user_lg))

    def test_team_leader_sees_department(self):
        leader = new_test_user(self.env, "cg_leader", groups="base.group_user,client_guard.group_scope_department")
        self.assertFalse(self.visible(leader))
        self.team_a.user_id = leader
        self.env.invalidate_all()
        self.assertEqual(self.visible(leader), self.client_own | self.client_dept)

    def test_all_level_sees_all_but_private(self):
        self.assertEqual(self.visible(self.user_all), self.client_own | self.client_dept | self.client_b)

    def test_non_clients_stay_visible(self):
        Partner = self.env["res.partner"].with_user(self.user_own)
        self.assertTrue(Partner.search([("id", "=", self.user_own2.partner_id.id)]))
        self.assertTrue(Partner.search([("id", "=", self.env.company.partner_id.id)]))
        self.assertFalse(self.user_own2.partner_id.is_client)
        self.assertFalse(self.env.company.partner_id.is_client)

    def test_user_without_level_keeps_standard_visibility(self):
        self.assertEqual(self.visible(self.user_plain), self.client_own | self.client_dept | self.client_b)

    def test_private_client_hidden_from_admin(self):
        self.assertNotIn(self.client_private, self.visible(self.user_admin))
        with self.assertRaises(AccessError):
            self.client_private.with_user(self.user_admin).read(["name"])
        with self.assertRaises(AccessError):
            self.contact_private.with_user(self.user_admin).read(["name"])
        self.assertFalse(self.env["res.partner"].with_user(self.user_admin).name_search("Private client"))

    def test_private_client_seen_by_curator_and_trusted(self):
        self.assertIn(self.client_private, self.visible(self.user_own))
        self.assertIn(self.client_private, self.visible(self.user_head))
        self.assertNotIn(self.client_private, self.visible(self.user_dept))
        self.assertNotIn(self.client_private, self.visible(self.user_all))

    def test_private_client_satellites_hidden(self):
        """Opportunities, activities, messages and attachments of a private client follow it."""
        lead = self.env["crm.lead"].create({
            "name": "Deal with private", "partner_id": self.client_private.id, "user_id": self.user_own.id,
        })
        activity = self.client_private.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.user_own.id, summary="Secret call")
        message = self.client_private.message_post(body="Secret note", message_type="comment")
        attachment = self.env["ir.attachment"].create({
            "name": "secret.txt", "raw": b"secret", "res_model": "res.partner", "res_id": self.client_private.id,
        })
        history = self.client_private.curator_history_ids
        self.assertTrue(history)
        for user in (self.user_admin, self.user_all):
            self.assertFalse(self.env["crm.lead"].with_user(user).search([("id", "=", lead.id)]))
            self.assertFalse(self.env["mail.activity"].with_user(user).search([("id", "=", activity.id)]))
            self.assertFalse(self.env["ir.attachment"].with_user(user).search([("id", "=", attachment.id)]))
            self.assertFalse(self.env["res.partner.curator.history"].with_user(user).search(
                [("id", "in", history.ids)]))
            with self.assertRaises(AccessError):
                lead.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                attachment.with_user(user).read(["raw"])
            messages = self.env["mail.message"].with_user(user).search([("id", "=", message.id)])
            self.assertFalse(messages)
        # the curator still sees all of it
        self.assertTrue(self.env["crm.lead"].with_user(self.user_own).search([("id", "=", lead.id)]))
        self.assertTrue(self.env["mail.activity"].with_user(self.user_own).search([("id", "=", activity.id)]))

    def test_superuser_code_sees_private(self):
        self.assertIn(self.client_private, self.env["res.partner"].sudo().search([("id", "in", self.clients.ids)]))
