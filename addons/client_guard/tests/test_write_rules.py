from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ClientGuardCase


@tagged("post_install", "-at_install")
class TestWriteRules(ClientGuardCase):
    def test_fill_empty_field_allowed(self):
        self.client_own.with_user(self.user_own).write({"street": "Tverskaya 1", "website": "https://a.example"})
        self.assertEqual(self.client_own.street, "Tverskaya 1")

    def test_overwrite_and_clear_refused(self):
        for vals in ({"phone": "+7 000"}, {"phone": False}, {"email": "other@x.example"}, {"name": "Renamed"}):
            with self.assertRaises(UserError) as ctx:
                self.client_own.with_user(self.user_own).write(vals)
            self.assertIn("Overwrite existing client data", str(ctx.exception))
        self.assertEqual(self.client_own.phone, "+7 495 111-11-11")
        self.assertEqual(self.client_own.name, "Client of own")

    def test_same_value_is_not_a_change(self):
        self.client_own.with_user(self.user_own).write({"phone": "+7 495 111-11-11", "name": "Client of own"})

    def test_overwrite_with_right(self):
        self.user_own.groups_id = [(4, self.env.ref("client_guard.group_edit_existing").id)]
        self.client_own.with_user(self.user_own).write({"phone": "+7 000"})
        self.assertEqual(self.client_own.phone, "+7 000")

    def test_contacts_can_be_added_not_removed(self):
        partner = self.client_own.with_user(self.user_own)
        partner.write({"child_ids": [(0, 0, {"name": "New contact"})]})
        self.assertIn("New contact", self.client_own.child_ids.mapped("name"))
        self.assertEqual(self.client_own.child_ids.filtered(lambda c: c.name == "New contact").user_id, self.user_own)
        with self.assertRaises(UserError):
            partner.write({"child_ids": [(2, self.contact_own.id)]})
        with self.assertRaises(UserError):
            partner.write({"child_ids": [(3, self.contact_own.id)]})
        self.assertTrue(self.contact_own.exists())
        self.assertEqual(self.contact_own.parent_id, self.client_own)

    def test_log_note_and_own_activity_allowed(self):
        partner = self.client_own.with_user(self.user_own)
        partner.message_post(body="Called, interested", message_type="comment")
        partner.activity_schedule("mail.mail_activity_data_call", user_id=self.user_own.id, summary="Call back")
        self.assertEqual(self.client_own.activity_ids.user_id, self.user_own)

    def test_delete_refused(self):
        with self.assertRaises(UserError) as ctx:
            self.client_own.with_user(self.user_own).unlink()
        self.assertIn("Delete and archive clients", str(ctx.exception))
        self.assertTrue(self.client_own.exists())
        with self.assertRaises(UserError):
            self.contact_own.with_user(self.user_own).unlink()
        self.assertTrue(self.contact_own.exists())

    def test_archive_refused(self):
        with self.assertRaises(UserError):
            self.client_own.with_user(self.user_own).write({"active": False})
        with self.assertRaises(UserError):
            self.client_own.with_user(self.user_own).action_archive()
        self.assertTrue(self.client_own.active)

    def test_delete_with_right(self):
        self.user_own.groups_id = [(4, self.env.ref("client_guard.group_delete_clients").id)]
        client = self.env["res.partner"].create({"name": "Tmp", "user_id": self.user_own.id})
        client.with_user(self.user_own).unlink()
        self.assertFalse(client.exists())

    def test_protected_fields_refused(self):
        partner = self.client_own.with_user(self.user_dept)
        cases = [
            {"user_id": self.user_dept.id},
            {"team_id": self.team_b.id},
            {"is_private": True},
            {"trusted_user_ids": [(4, self.user_dept.id)]},
            {"registration_date": "2000-01-01"},
            {"category_id": [(0, 0, {"name": "VIP"})]},
        ]
        for vals in cases:
            with self.assertRaises(UserError, msg=str(vals)) as ctx:
                partner.write(vals)
            self.assertIn("Manage curators", str(ctx.exception))
        self.assertEqual(self.client_own.user_id, self.user_own)
        self.assertEqual(self.client_own.team_id, self.team_a)
        self.assertFalse(self.client_own.is_private)
        self.assertFalse(self.client_own.category_id)

    def test_protected_fields_with_right(self):
        self.client_own.with_user(self.user_head).write({"user_id": self.user_dept.id})
        self.assertEqual(self.client_own.user_id, self.user_dept)
        self.assertEqual(self.contact_own.user_id, self.user_dept, "contacts follow their company")

    def test_shared_tags_protected(self):
        tag = self.env["res.partner.category"].create({"name": "Key account"})
        with self.assertRaises(UserError):
            tag.with_user(self.user_own).write({"name": "Renamed"})
        with self.assertRaises(UserError):
            self.env["res.partner.category"].with_user(self.user_own).create({"name": "Mine"})
        self.assertEqual(tag.name, "Key account")

    def test_mass_write_refused(self):
        partners = (self.client_own | self.client_dept).with_user(self.user_dept)
        with self.assertRaises(UserError) as ctx:
            partners.write({"street": "Mass street"})
        self.assertIn("Mass operations", str(ctx.exception))
        self.assertFalse(self.client_own.street)
        self.assertFalse(self.client_dept.street)

    def test_mass_unlink_refused_even_with_delete_right(self):
        self.user_dept.groups_id = [(4, self.env.ref("client_guard.group_delete_clients").id)]
        with self.assertRaises(UserError):
            (self.client_own | self.client_dept).with_user(self.user_dept).unlink()
        self.assertTrue(self.client_own.exists() and self.client_dept.exists())

    def test_mass_write_with_right(self):
        self.user_dept.groups_id = [(4, self.env.ref("client_guard.group_mass_operations").id)]
        (self.client_own | self.client_dept).with_user(self.user_dept).write({"street": "Mass street"})
        self.assertEqual(self.client_dept.street, "Mass street")

    def test_internal_propagation_keeps_working(self):
        """A single company write syncs its contacts (several partners) in one go."""
        Partner = self.env["res.partner"].with_user(self.user_own)
        company = Partner.create({"name": "Fresh Co", "is_company": True})
        Partner.create([{"name": "C1", "parent_id": company.id}, {"name": "C2", "parent_id": company.id}])
        company.write({"street": "New street"})
        self.assertEqual(company.child_ids.mapped("street"), ["New street", "New street"])
        self.assertEqual(company.child_ids.user_id, self.user_own)
        self.assertEqual(company.team_id, self.team_a, "a new client gets its creator's department")

    def test_create_for_other_curator_refused(self):
        with self.assertRaises(UserError):
            self.env["res.partner"].with_user(self.user_own).create({"name": "X", "user_id": self.user_dept.id})
        with self.assertRaises(UserError):
            self.env["res.partner"].with_user(self.user_own).create({"name": "X", "is_private": True})
        self.assertFalse(self.env["res.partner"].search([("name", "=", "X")]))

    def test_plan_for_others_refused(self):
        with self.assertRaises(UserError) as ctx:
            self.client_own.with_user(self.user_own).activity_schedule(
                "mail.mail_activity_data_call", user_id=self.user_dept.id)
        self.assertIn("Plan for others", str(ctx.exception))
        self.assertFalse(self.client_own.activity_ids)
        with self.assertRaises(UserError):
            self.env["crm.lead"].with_user(self.user_own).create({"name": "Deal", "user_id": self.user_dept.id})
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "Deal")]))
        activity = self.client_own.with_user(self.user_own).activity_schedule(
            "mail.mail_activity_data_call", user_id=self.user_own.id)
        with self.assertRaises(UserError):
            activity.with_user(self.user_own).write({"user_id": self.user_dept.id})
        self.assertEqual(activity.user_id, self.user_own)
        # with the right
        self.client_own.with_user(self.user_head).activity_schedule(
            "mail.mail_activity_data_call", user_id=self.user_dept.id)

    def test_lead_protected_dates(self):
        lead = self.env["crm.lead"].create({
            "name": "Deal", "type": "opportunity", "partner_id": self.client_own.id,
            "user_id": self.user_own.id, "date_deadline": "2030-01-01",
        })
        with self.assertRaises(UserError):
            lead.with_user(self.user_own).write({"date_deadline": "2031-01-01"})
        with self.assertRaises(UserError):
            lead.with_user(self.user_own).write({"date_open": "2020-01-01 00:00:00"})
        self.assertEqual(str(lead.date_deadline), "2030-01-01")
        lead.with_user(self.user_own).write({"expected_revenue": 1000})
        lead.with_user(self.user_head).write({"date_deadline": "2031-01-01"})
        self.assertEqual(str(lead.date_deadline), "2031-01-01")

    def test_unprotected_user_keeps_standard_rights(self):
        user = self.user_plain
        self.client_own.with_user(user).write({"phone": "+7 999"})
        (self.client_own | self.client_dept).with_user(user).write({"street": "Any"})
        self.assertEqual(self.client_dept.street, "Any")
