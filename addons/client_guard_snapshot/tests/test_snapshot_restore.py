from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import SnapshotCase


@tagged("post_install", "-at_install")
class TestSnapshotRestore(SnapshotCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.gone = Partner.create({
            "name": "Deleted Ltd", "is_company": True, "user_id": cls.user_own2.id, "team_id": cls.team_b.id,
            "email": "office@deleted.example", "phone": "+7 812 555-00-00", "vat": "7801111111",
            "street": "Nevsky 10", "city": "Saint Petersburg", "country_id": cls.country.id,
            "registration_date": "2024-03-01",
        })
        cls.gone_contact = Partner.create({
            "name": "Deleted Contact", "parent_id": cls.gone.id, "function": "Director",
            "email": "boss@deleted.example", "mobile": "+7 921 000-00-01",
        })
        cls.gone_other = Partner.create({"name": "Another deleted", "is_company": True,
                                         "user_id": cls.user_own.id, "team_id": cls.team_a.id})
        # a contact of a client that stays; the client has no address
        cls.gone_of_existing = Partner.create({
            "name": "Deleted contact of dept", "parent_id": cls.client_dept.id, "street": "Lenina 5",
            "city": "Kazan",
        })
        cls.snapshot = cls.env["client_guard.snapshot"]._take_snapshot()
        cls.former = {p.name: p.id for p in cls.gone | cls.gone_contact | cls.gone_other | cls.gone_of_existing}
        (cls.gone_contact | cls.gone | cls.gone_other | cls.gone_of_existing).unlink()
        # data of an existing client changed since the snapshot
        cls.client_own.write({"phone": "+7 495 999-99-99", "email": "new@client.example"})
        cls.client_own.flush_recordset()

    def wizard(self, user):
        return self.env["client_guard.snapshot.restore"].with_user(user).create({"snapshot_id": self.snapshot.id})

    def find(self, name):
        return self.env["res.partner"].with_context(active_test=False).search([("name", "=", name)])

    def test_preview_lists_deleted_only(self):
        wizard = self.wizard(self.user_officer)
        self.assertEqual(set(wizard.line_ids.mapped("former_id")), set(self.former.values()))
        line = wizard.line_ids.filtered(lambda line: line.name == "Deleted Contact")
        self.assertEqual(line.parent_name, "Deleted Ltd")
        self.assertFalse(line.parent_exists)
        line = wizard.line_ids.filtered(lambda line: line.name == "Deleted contact of dept")
        self.assertTrue(line.parent_exists)
        self.assertEqual(wizard.deleted_count, 4)
        self.assertEqual(wizard.selected_count, 4)

    def test_restore(self):
        """Deleted clients and contacts come back with curator, department and a
        note; an existing client changed since the snapshot is not touched."""
        own_before = self.client_own.read(["phone", "email", "write_date", "write_uid"])[0]
        dept_before = self.client_dept.read(["street", "city", "write_date"])[0]
        partners_before = self.env["res.partner"].with_context(active_test=False).search_count([])
        wizard = self.wizard(self.user_officer)
        wizard.with_user(self.user_officer).action_restore()

        self.assertEqual(
            self.env["res.partner"].with_context(active_test=False).search_count([]), partners_before + 4)
        company = self.find("Deleted Ltd")
        self.assertEqual(len(company), 1)
        self.assertNotEqual(company.id, self.former["Deleted Ltd"])
        self.assertTrue(company.is_company)
        self.assertEqual(company.user_id, self.user_own2)
        self.assertEqual(company.team_id, self.team_b)
        self.assertEqual(company.email, "office@deleted.example")
        self.assertEqual(company.vat, "7801111111")
        self.assertEqual(company.country_id, self.country)
        self.assertEqual(str(company.registration_date), "2024-03-01")
        self.assertTrue(company.is_client)
        self.assertEqual(company.client_guard_restored_from_id, self.former["Deleted Ltd"])
        contact = self.find("Deleted Contact")
        self.assertEqual(contact.parent_id, company)
        self.assertEqual(contact.function, "Director")
        self.assertEqual(contact.mobile, "+7 921 000-00-01")
        self.assertEqual(contact.user_id, self.user_own2)
        other = self.find("Deleted contact of dept")
        self.assertEqual(other.parent_id, self.client_dept)
        # chatter note on each re-created partner, by the officer
        for partner in company | contact | other:
            note = partner.message_ids.filtered(lambda m: "Restored from client base snapshot" in str(m.body))
            self.assertEqual(len(note), 1, partner.name)
            self.assertIn(self.snapshot.name, str(note.body))
            self.assertEqual(note.author_id, self.user_officer.partner_id)
        # existing partners untouched
        self.assertEqual(self.client_own.read(["phone", "email", "write_date", "write_uid"])[0], own_before)
        self.assertEqual(self.client_dept.read(["street", "city", "write_date"])[0], dept_before)
        # a second run finds nothing more to restore
        self.assertFalse(self.wizard(self.user_officer).line_ids)

    def test_restore_through_form(self):
        """The web client's flow: the form lists the deleted partners, the user
        unticks one and presses Restore."""
        wizard_form = Form(self.env["client_guard.snapshot.restore"].with_user(self.user_officer).with_context(
            default_snapshot_id=self.snapshot.id))
        self.assertEqual(len(wizard_form.line_ids), 4)
        for index in range(len(wizard_form.line_ids)):
            with wizard_form.line_ids.edit(index) as line:
                if line.name == "Another deleted":
                    line.selected = False
        self.assertEqual(wizard_form.selected_count, 3)
        wizard = wizard_form.save()
        self.assertEqual(sorted(wizard.line_ids.filtered("selected").mapped("former_id")),
                         sorted(i for name, i in self.former.items() if name != "Another deleted"))
        wizard.action_restore()
        self.assertTrue(self.find("Deleted Ltd"))
        self.assertEqual(self.find("Deleted Contact").parent_id, self.find("Deleted Ltd"))
        self.assertFalse(self.find("Another deleted"))

    def test_restore_subset_brings_company(self):
        """Only the selected partners come back; a selected contact brings
        back its deleted company."""
        wizard = self.wizard(self.user_admin)
        wizard.line_ids.filtered(lambda line: line.name != "Deleted Contact").write({"selected": False})
        wizard.action_restore()
        self.assertEqual(len(self.find("Deleted Contact")), 1)
        self.assertEqual(self.find("Deleted Contact").parent_id, self.find("Deleted Ltd"))
        self.assertFalse(self.find("Another deleted"))
        self.assertFalse(self.find("Deleted contact of dept"))

    def test_curator_gone(self):
        """A curator who no longer exists is not set; the department is."""
        self.user_own.unlink()
        self.wizard(self.user_officer).action_restore()
        other = self.find("Another deleted")
        self.assertFalse(other.user_id)
        self.assertEqual(other.team_id, self.team_a)

    def test_salesperson_cannot_restore(self):
        """A salesperson can neither open the wizard nor run an officer's."""
        count = self.env["res.partner"].with_context(active_test=False).search_count([])
        with self.assertRaises(AccessError):
            self.wizard(self.user_own)
        with self.assertRaises(AccessError):
            self.wizard(self.user_all)
        wizard = self.wizard(self.user_officer)
        with self.assertRaises(AccessError):
            wizard.with_user(self.user_own).action_restore()
        with self.assertRaises(AccessError):
            self.snapshot.with_user(self.user_own).action_open_restore()
        self.assertEqual(self.env["res.partner"].with_context(active_test=False).search_count([]), count)
        self.assertFalse(self.find("Deleted Ltd"))

    def test_restored_from_protected(self):
        """Nobody but the restore sets "Restored from ID" (it hides a deleted
        partner from the wizard)."""
        with self.assertRaises(UserError):
            self.client_own.with_user(self.user_own).write(
                {"client_guard_restored_from_id": self.former["Deleted Ltd"]})
        with self.assertRaises(UserError):
            self.env["res.partner"].with_user(self.user_own).create(
                {"name": "Forged", "client_guard_restored_from_id": self.former["Deleted Ltd"]})
        self.assertFalse(self.client_own.client_guard_restored_from_id)
        self.assertEqual(len(self.wizard(self.user_officer).line_ids), 4)

    def test_contact_of_restored_company(self):
        """A contact restored later goes under the company restored before."""
        wizard = self.wizard(self.user_officer)
        wizard.line_ids.filtered(lambda line: line.name != "Deleted Ltd").write({"selected": False})
        wizard.action_restore()
        self.assertFalse(self.find("Deleted Contact"))
        wizard = self.wizard(self.user_officer)
        self.assertEqual(len(wizard.line_ids), 3)
        self.assertTrue(wizard.line_ids.filtered(lambda line: line.name == "Deleted Contact").parent_exists)
        wizard.action_restore()
        self.assertEqual(self.find("Deleted Contact").parent_id, self.find("Deleted Ltd"))
        self.assertEqual(len(self.find("Deleted Ltd")), 1)

    def test_nothing_selected(self):
        wizard = self.wizard(self.user_officer)
        wizard.line_ids.write({"selected": False})
        with self.assertRaises(UserError):
            wizard.action_restore()
        self.assertFalse(self.find("Deleted Ltd"))

    def test_surviving_contacts_come_back_under_their_company(self):
        """Deleting a company leaves its contacts without a company; restoring
        the company attaches them again (not a contact moved elsewhere since)."""
        Partner = self.env["res.partner"]
        company = Partner.create({"name": "Company with staff", "is_company": True,
                                  "user_id": self.user_own.id, "team_id": self.team_a.id})
        staff = Partner.create({"name": "Surviving staff", "parent_id": company.id, "email": "staff@x.example"})
        moved = Partner.create({"name": "Moved staff", "parent_id": company.id})
        snapshot = self.env["client_guard.snapshot"]._take_snapshot()
        company.unlink()
        self.assertFalse(staff.parent_id)
        moved.parent_id = self.client_dept
        wizard = self.env["client_guard.snapshot.restore"].with_user(self.user_officer).create(
            {"snapshot_id": snapshot.id})
        wizard.line_ids.filtered(lambda line: line.name != "Company with staff").write({"selected": False})
        result = wizard.action_restore()
        restored = self.find("Company with staff")
        self.assertEqual(len(restored), 1)
        self.assertEqual(staff.parent_id, restored)
        self.assertEqual(restored.child_ids, staff)
        self.assertEqual(moved.parent_id, self.client_dept)
        self.assertIn("1 surviving contacts", result["params"]["message"])
