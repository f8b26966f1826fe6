from unittest import skipUnless

from odoo.exceptions import AccessError, UserError
from odoo.modules.module import get_modules
from odoo.tests import new_test_user, tagged

from .common import ClientGuardCase

FORM_ONLY = "Only the fields of the client form"


@tagged("post_install", "-at_install")
class TestWriteWhitelist(ClientGuardCase):
    """A user under Client Guard writes only the fields of the client form."""

    def stored_values(self, partner):
        fnames = [name for name, field in partner._fields.items() if field.store]
        partner.invalidate_recordset()
        return partner.sudo().with_context(active_test=False).read(fnames)[0]

    def test_is_client_write_refused(self):
        """Writing is_client=False used to switch the guard off for that client."""
        before = self.stored_values(self.client_own)
        for user in (self.user_own, self.user_dept, self.user_all, self.user_head):
            with self.assertRaises(UserError, msg=user.login) as ctx:
                self.client_own.with_user(user).write({"is_client": False})
            self.assertIn(FORM_ONLY, str(ctx.exception))
            self.assertIn("is_client", str(ctx.exception))
        self.assertEqual(self.stored_values(self.client_own), before)
        self.assertTrue(self.client_own.is_client)
        # the client is still guarded: no archive, no overwrite, invisible to another department
        with self.assertRaises(UserError):
            self.client_own.with_user(self.user_own).write({"active": False})
        self.assertFalse(self.visible(self.user_own2, self.client_own))

    def test_computed_and_technical_fields_refused(self):
        cases = [
            {"commercial_partner_id": self.client_b.id},
            {"email_normalized": "thief@example.com"},
            {"phone_sanitized": "+70000000000"},
            {"complete_name": "Other"},
            {"partner_share": False},
            {"create_uid": self.user_own.id},
            {"write_date": "2000-01-01 00:00:00"},
            {"message_bounce": 10},
            {"street": "Allowed street", "is_client": False},  # one bad field refuses the whole write
        ]
        if "phone_e164" in self.env["res.partner"]._fields:
            cases.append({"phone_e164": "+70000000000"})
        before = self.stored_values(self.client_own)
        for vals in cases:
            with self.assertRaises(UserError, msg=str(vals)) as ctx:
                self.client_own.with_user(self.user_own).write(vals)
            self.assertIn(FORM_ONLY, str(ctx.exception))
        self.assertEqual(self.stored_values(self.client_own), before)

    def test_refusal_logged(self):
        refused = False
        try:  # no assertRaises: its savepoint would drop the event logged with the refusal
            self.client_own.with_user(self.user_own).write({"commercial_partner_id": self.client_b.id})
        except UserError as error:
            refused = FORM_ONLY in str(error)
        self.assertTrue(refused)
        event = self.env["client_guard.security.event"].search(
            [("user_id", "=", self.user_own.id), ("event_type", "=", "write_refused")], limit=1)
        self.assertIn("commercial_partner_id", event.details)
        self.assertEqual(event.res_ids, str(self.client_own.id))

    def test_form_fields_still_editable(self):
        client = self.client_own.with_user(self.user_own)
        client.write({"street": "Tverskaya 1", "city": "Moscow", "website": "https://a.example",
                      "function": "Office", "comment": "<p>Note</p>", "company_type": "company",
                      "child_ids": [(0, 0, {"name": "New contact", "email": "c@a.example"})]})
        self.assertEqual(self.client_own.street, "Tverskaya 1")
        self.assertIn("New contact", self.client_own.child_ids.mapped("name"))

    def test_whitelist_comes_from_the_form(self):
        editable = self.env["res.partner"].with_user(self.user_own)._client_guard_editable_fields()
        for fname in ("name", "phone", "email", "street", "child_ids", "user_id", "active"):
            self.assertIn(fname, editable)
        for fname in ("is_client", "commercial_partner_id", "email_normalized", "phone_sanitized",
                      "create_uid", "write_date", "message_ids", "message_follower_ids", "user_ids",
                      "curator_history_ids", "partner_share", "display_name"):
            self.assertNotIn(fname, editable)

    def test_create_with_computed_fields_refused(self):
        Partner = self.env["res.partner"].with_user(self.user_own)
        for vals in ({"name": "Sneaky", "is_client": False}, {"name": "Sneaky", "email_normalized": "a@b.c"}):
            with self.assertRaises(UserError, msg=str(vals)) as ctx:
                Partner.create(vals)
            self.assertIn("A new client gets only the fields of the client form", str(ctx.exception))
        with self.assertRaises(UserError):
            Partner.with_context(default_is_client=False).create({"name": "Sneaky"})
        self.assertFalse(self.env["res.partner"].with_context(active_test=False).search([("name", "=", "Sneaky")]))
        # the usual ways in still work (Invoicing > Customers presets customer_rank)
        if "customer_rank" in self.env["res.partner"]._fields:
            ranked = Partner.with_context(default_customer_rank=1, default_is_company=True).create({"name": "Ranked"})
            self.assertEqual(ranked.customer_rank, 1)
        partner = Partner.create({"name": "Fair", "email": "fair@a.example", "is_company": True})
        self.assertTrue(partner.is_client)
        self.assertEqual(partner.user_id, self.user_own)
        contact_id, _name = Partner.name_create("Quick Contact")
        self.assertTrue(self.env["res.partner"].browse(contact_id).is_client)
        lead = self.env["crm.lead"].with_user(self.user_own).create({
            "name": "Deal", "partner_name": "Lead Co", "email_from": "lead@co.example", "user_id": self.user_own.id})
        lead._handle_partner_assignment(create_missing=True)
        self.assertEqual(lead.partner_id.name, "Lead Co")
        self.assertTrue(lead.partner_id.is_client)

    def test_odoo_writes_computed_fields_internally(self):
        """Computed fields keep being computed when the user edits the form."""
        client = self.client_own.with_user(self.user_own)
        client.write({"mobile": "+7 903 555-66-77", "vat": "7707083893"})
        self.assertTrue(self.client_own.mobile)
        contact = self.env["res.partner"].with_user(self.user_own).create(
            {"name": "Contact", "parent_id": self.client_own.id, "email": "Contact <X@Client.example>"})
        self.assertEqual(contact.commercial_partner_id, self.client_own)
        self.assertEqual(contact.email_normalized, "x@client.example")

    def test_unprotected_user_not_bound(self):
        partner = self.env["res.partner"].with_user(self.user_plain).create({"name": "Plain", "ref": "P1"})
        partner.with_user(self.user_plain).write({"color": 3})
        self.assertEqual(partner.color, 3)


@tagged("post_install", "-at_install")
class TestIsClient(ClientGuardCase):
    """What makes a partner a client is decided by the suite, not by user accounts."""

    def test_portal_customer_stays_a_client(self):
        new_test_user(self.env, "cg_portal", groups="base.group_portal", partner_id=self.client_own.id)
        self.assertTrue(self.client_own.user_ids)
        self.assertTrue(self.client_own.is_client)
        self.assertFalse(self.visible(self.user_own2, self.client_own))
        with self.assertRaises(UserError):
            self.client_own.with_user(self.user_own).write({"phone": "+7 000"})
        with self.assertRaises(UserError):
            (self.client_own | self.client_dept).with_user(self.user_dept).write({"street": "Mass"})
        self.assertEqual(self.client_own.phone, "+7 495 111-11-11")

    def test_employees_public_and_companies_are_not_clients(self):
        self.assertFalse(self.user_own.partner_id.is_client)
        self.assertFalse(self.env.ref("base.public_partner").is_client)
        self.assertFalse(self.env.company.partner_id.is_client)
        self.assertFalse(self.env.ref("base.partner_root").is_client)
        self.assertTrue(self.client_own.is_client and self.contact_own.is_client)

    @skipUnless("portal" in get_modules(), "portal is not available")
    def test_portal_wizard_keeps_a_client(self):
        if "portal.wizard" not in self.env:
            self.skipTest("portal is not installed")
        self.client_own.email = "portal@client.example"
        wizard = self.env["portal.wizard"].with_user(self.user_own).with_context(
            active_ids=[self.client_own.id], active_model="res.partner").create({})
        try:
            wizard.user_ids.filtered(lambda line: line.partner_id == self.client_own).with_user(
                self.user_own).action_grant_access()
        except AccessError:
            self.skipTest("salespeople cannot grant portal access here")
        self.assertTrue(self.client_own.user_ids._is_portal())
        self.assertTrue(self.client_own.is_client)
        self.assertFalse(self.visible(self.user_own2, self.client_own))
        with self.assertRaises(UserError):
            self.client_own.with_user(self.user_own).write({"active": False})
        self.assertTrue(self.client_own.active)


@tagged("post_install", "-at_install")
class TestImportClients(ClientGuardCase):
    """An import of several clients is a mass operation."""

    def test_load_two_clients_refused(self):
        Partner = self.env["res.partner"].with_user(self.user_own)
        count = self.env["res.partner"].search_count([])
        result = Partner.load(["name", "email"], [["Imported 1", "i1@a.example"], ["Imported 2", "i2@a.example"]])
        self.assertFalse(result["ids"])
        self.assertIn("only one client at a time", result["messages"][0]["message"])
        self.assertIn("Mass operations", result["messages"][0]["message"])
        self.assertEqual(self.env["res.partner"].search_count([]), count)

    def test_load_update_of_two_clients_refused(self):
        self.user_dept.groups_id = [(4, self.env.ref("client_guard.group_edit_existing").id)]
        before = (self.client_own.comment, self.client_dept.comment)
        result = self.env["res.partner"].with_user(self.user_dept).load(
            [".id", "comment"], [[str(self.client_own.id), "x"], [str(self.client_dept.id), "y"]])
        self.assertFalse(result["ids"])
        self.assertEqual((self.client_own.comment, self.client_dept.comment), before)

    def test_base_import_two_clients_refused(self):
        if "base_import.import" not in self.env:
            self.skipTest("base_import is not installed")
        importer = self.env["base_import.import"].with_user(self.user_own).create({
            "res_model": "res.partner",
            "file": b"name,email\nImp A,a@imp.example\nImp B,b@imp.example\n",
            "file_type": "text/csv",
            "file_name": "clients.csv",
        })
        options = {"quoting": '"', "separator": ",", "has_headers": True, "encoding": "utf-8"}
        result = importer.execute_import(["name", "email"], [], options)
        self.assertTrue(any("only one client at a time" in m["message"] for m in result["messages"]))
        self.assertFalse(self.env["res.partner"].search([("name", "in", ["Imp A", "Imp B"])]))

    def test_load_single_client_allowed(self):
        result = self.env["res.partner"].with_user(self.user_own).load(["name", "email"], [["Single", "s@a.example"]])
        self.assertEqual(len(result["ids"]), 1, result["messages"])
        self.assertEqual(self.env["res.partner"].browse(result["ids"]).user_id, self.user_own)

    def test_load_computed_field_refused(self):
        result = self.env["res.partner"].with_user(self.user_own).load(["name", "is_client"], [["Single", "0"]])
        self.assertFalse(result["ids"])
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Single")]))

    def test_load_with_right(self):
        self.user_own.groups_id = [(4, self.env.ref("client_guard.group_mass_operations").id)]
        result = self.env["res.partner"].with_user(self.user_own).load(
            ["name"], [["Imported 1"], ["Imported 2"]])
        self.assertEqual(len(result["ids"]), 2, result["messages"])


@tagged("post_install", "-at_install")
class TestPrivacyLookup(ClientGuardCase):
    """Odoo's privacy lookup wizard searches every table in SQL: it must not
    reveal or delete the clients the administrator cannot read."""

    def lookup(self, name, email):
        wizard = self.env["privacy.lookup.wizard"].with_user(self.user_admin).create({"name": name, "email": email})
        wizard.action_lookup()
        return wizard

    def test_private_client_not_listed(self):
        self.client_private.sudo().write({"email": "secret@private.example"})
        self.client_private.sudo().message_post(body="secret note", message_type="comment")
        self.assertFalse(self.visible(self.user_admin, self.client_private))
        wizard = self.lookup("Private client", "secret@private.example")
        partner_lines = wizard.line_ids.filtered(lambda line: line.res_model == "res.partner")
        self.assertNotIn(self.client_private.id, partner_lines.mapped("res_id"))
        self.assertNotIn("Private client", " ".join(wizard.line_ids.mapped("res_name")))
        self.assertNotIn(f"#{self.client_private.id}", wizard.records_description or "")
        wizard = self.lookup("Contact of private", "nobody@nowhere.example")
        self.assertFalse(wizard.line_ids.filtered(
            lambda line: line.res_model == "res.partner" and line.res_id == self.contact_private.id))

    def test_visible_client_listed(self):
        wizard = self.lookup("Client of own", "own@client.example")
        self.assertIn(self.client_own.id, wizard.line_ids.filtered(
            lambda line: line.res_model == "res.partner").mapped("res_id"))

    def test_private_client_not_deleted_nor_archived(self):
        wizard = self.env["privacy.lookup.wizard"].with_user(self.user_admin).create(
            {"name": "x", "email": "x@example.com"})
        model = self.env["ir.model"]._get("res.partner")
        line = self.env["privacy.lookup.wizard.line"].with_user(self.user_admin).create({
            "wizard_id": wizard.id, "res_model_id": model.id, "res_id": self.client_private.id, "is_active": True})
        with self.assertRaises(AccessError):
            line.action_unlink()
        self.assertTrue(self.client_private.exists())
        line.is_active = False
        with self.assertRaises(AccessError):
            line._onchange_is_active()
        self.assertTrue(self.client_private.active)
