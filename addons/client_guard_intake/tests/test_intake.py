import base64

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo import tools
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.res_partner import PLAIN_EMAIL, email_key
from .common import IntakeCase, csv_file, xlsx_file

HEADER_RU = ["Наименование", "Телефон", "Мобильный", "Почта", "ИНН", "Контактное лицо", "Город"]


@tagged("post_install", "-at_install")
class TestIntake(IntakeCase):

    def test_usual_headers_mapped_without_asking(self):
        intake = self.intake([HEADER_RU, ["Гамма", "", "", "", "", "", "Тула"]])
        intake.action_preview()
        targets = intake.column_ids.sorted("sequence").mapped("target")
        self.assertEqual(targets, ["name", "phone", "mobile", "email", "vat", "contact", "city"])
        english = self.intake([["Name", "Phone", "E-mail", "VAT", "Contact", "City", "Mobile", "Notes"],
                               ["Gamma", "", "", "", "", "", "", "x"]])
        english.action_preview()
        self.assertEqual(english.column_ids.sorted("sequence").mapped("target"),
                         ["name", "phone", "email", "vat", "contact", "city", "mobile", "skip"])

    def test_preview_states_and_nothing_written(self):
        rows = [
            HEADER_RU,
            ["Новый клиент", "8 (383) 200-00-01", "", "new@client.example", "", "Анна", "Новосибирск"],  # 2 new
            ["Альфа ООО", "", "", "", "", "", ""],  # 3 same name as Ivan's client
            ["Alfa trading", "84951112233", "", "", "", "", ""],  # 4 same phone as Ivan's client
            ["ВЕКТОР-2", "", "", "", "52 98 76 54 31", "", ""],  # 5 same tax id as Olga's
            ["Не тот", "", "", "", "", "", ""],  # 6 new
            ["не тот", "", "", "", "", "", ""],  # 7 repeats row 6 (name)
            ["Другой", "+7 383 200 00 01", "", "", "", "", ""],  # 8 repeats row 2 (phone)
            ["", "", "", "", "", "", ""],  # dropped: empty rows are not counted
            ["Плохой телефон", "12", "", "", "", "", ""],  # 9 error
            ["", "", "", "x@y.example", "", "", ""],  # 10 no name
            ["Петров", "", "+7 (916) 000-11-22", "", "", "", ""],  # 11 mobile of Olga's contact
        ]
        partners_before = self.env["res.partner"].search_count([])
        intake = self.intake(rows)
        intake.action_preview()
        lines = self.by_row(intake)
        self.assertEqual(intake.state, "preview")
        self.assertEqual(lines[2].state, "new")
        self.assertEqual(lines[2].phone_e164, "+73832000001")
        self.assertEqual(lines[2].contact_name, "Анна")
        self.assertEqual((lines[3].state, lines[3].match_reason), ("match", "name"))
        self.assertEqual((lines[4].state, lines[4].match_reason), ("match", "phone"))
        self.assertEqual(lines[4].sudo().partner_id, self.client_ivan)
        self.assertEqual(lines[4].action, "complete", "the owner's own client: add the missing data")
        self.assertEqual((lines[5].state, lines[5].match_reason), ("match", "vat"))
        self.assertEqual(lines[5].match_user_id, self.olga)
        self.assertEqual(lines[5].action, "conflict", "another manager's client: a conflict by default")
        self.assertEqual(lines[6].state, "new")
        self.assertEqual((lines[7].state, lines[7].duplicate_row), ("duplicate_in_file", 6))
        self.assertEqual((lines[8].state, lines[8].duplicate_row), ("duplicate_in_file", 2))
        self.assertEqual(lines[9].state, "error")
        self.assertIn("12", lines[9].message)
        self.assertEqual(lines[10].state, "error")
        self.assertEqual(lines[11].sudo().partner_id, self.client_olga, "a contact's number finds its company")
        self.assertEqual(intake.new_count, 2)
        self.assertEqual(intake.duplicate_count, 2)
        self.assertEqual(intake.error_count, 2)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before, "nothing written before import")

    def test_phone_formats(self):
        numbers = ["+7 495 111-22-33", "8 (495) 111-22-33", "84951112233", "(495) 1112233", "7-495-111-22-33",
                   "+7(495)111 22 33", "495.111.22.33", "+74951112233"]
        intake = self.intake([["Name", "Phone"]] + [[f"Client {i}", n] for i, n in enumerate(numbers)])
        intake.action_preview()
        lines = intake.line_ids.sorted("row")
        self.assertEqual(set(lines.mapped("phone_e164")), {"+74951112233"})
        self.assertEqual(lines[0].state, "match")
        self.assertEqual(set(lines[1:].mapped("state")), {"duplicate_in_file"})

    def test_private_client_matched_without_being_shown(self):
        intake = self.intake([["Name", "E-mail"], ["Кто-то", "BOSS@secret.example"]])
        intake.action_preview()
        line = intake.line_ids
        self.assertEqual(line.state, "match")
        self.assertTrue(line.match_private)
        self.assertFalse(line.match_user_id, "the curator of a private client is not shown either")
        data = line.with_user(self.head).read(["match_display", "match_user_id"])[0]
        self.assertEqual(data["match_display"], "A client already in the base (private)")
        self.assertNotIn("Секрет", str(data))
        with self.assertRaises(AccessError):
            line.with_user(self.head).read(["partner_id"])
        # the head's own department's client is shown with its name
        other = self.intake([["Name", "Phone"], ["x", "+7 495 111 22 33"]])
        other.action_preview()
        self.assertIn("Альфа", other.line_ids.with_user(self.head).match_display)

    def test_confirm_creates_completes_and_flags(self):
        rows = [
            HEADER_RU,
            ["Новый клиент", "8 383 200-00-01", "", "new@client.example", "", "Анна", "Новосибирск"],
            ["Альфа", "", "+7 916 123-45-67", "other@alfa.example", "5001", "Ольга Котова", "Москва"],
            ["Вектор", "", "", "", "", "", ""],
            ["Кто-то", "", "", "boss@secret.example", "", "", ""],
        ]
        intake = self.intake(rows)
        intake.action_preview()
        lines = self.by_row(intake)
        self.assertEqual([lines[r].action for r in (2, 3, 4, 5)], ["create", "complete", "conflict", "conflict"])
        lines[5].with_user(self.head).action = "skip"
        # as the web client calls it (a list in the context)
        intake.with_user(self.head).with_context(allowed_company_ids=[self.env.company.id]).action_confirm()
        self.assertEqual(intake.state, "done")
        self.assertEqual(intake.confirm_user_id, self.head)
        new = lines[2].result_partner_id
        self.assertEqual((new.name, new.user_id, new.team_id), ("Новый клиент", self.ivan, self.team_a))
        self.assertEqual(new.child_ids.name, "Анна")
        self.assertEqual(new.phone_e164, "+73832000001")
        history = self.env["res.partner.curator.history"].search([("partner_id", "=", new.id)])
        self.assertEqual(history.user_id, self.ivan)
        # append-only: the missing mobile, tax id and city are added, phone and e-mail kept
        self.assertEqual(lines[3].result, "completed")
        self.assertEqual(self.client_ivan.email, "office@alfa.example")
        self.assertEqual(self.client_ivan.mobile, "+7 916 123-45-67")
        self.assertEqual((self.client_ivan.vat, self.client_ivan.city), ("5001", "Москва"))
        self.assertIn("Ольга Котова", self.client_ivan.child_ids.mapped("name"))
        # conflict: Olga keeps her client until the head decides; the head has an activity
        self.assertEqual((lines[4].state, lines[4].conflict_decision), ("conflict", "pending"))
        self.assertEqual(self.client_olga.user_id, self.olga)
        activity = intake.activity_ids
        self.assertEqual(activity.user_id, self.head)
        self.assertEqual(lines[5].result, "skipped")
        self.assertEqual(self.client_private.user_id, self.olga)
        conflicts = self.env["client_guard.intake.line"].with_user(self.head).search(
            [("conflict_decision", "=", "pending")])
        self.assertEqual(conflicts, lines[4])
        conflicts.action_give_to_owner()
        self.assertEqual((self.client_olga.user_id, self.client_olga.team_id), (self.ivan, self.team_a))
        self.assertFalse(intake.activity_ids, "the activity is done once every conflict is decided")

    def test_undo(self):
        rows = [HEADER_RU,
                ["Новый клиент", "", "", "", "", "Анна", ""],
                ["Ещё один", "", "", "", "", "", ""],
                ["Альфа", "", "+7 916 123-45-67", "", "", "Ольга Котова", ""],
                ["Вектор", "", "", "", "", "", ""]]
        intake = self.intake(rows)
        intake.action_preview()
        intake.action_confirm()
        lines = self.by_row(intake)
        lines[5].with_user(self.head).action_give_to_owner()
        kept, changed = lines[2].result_partner_id, lines[3].result_partner_id
        changed.with_user(self.ivan).write({"comment": "called today"})
        changed.flush_recordset()
        self.env.cr.execute("UPDATE res_partner SET write_date = now() + interval '1 hour' WHERE id = %s",
                            (changed.id,))
        changed.invalidate_recordset()
        intake.with_user(self.head).action_revert()
        self.assertEqual(intake.state, "partially_reverted")
        self.assertFalse(kept.exists(), "an untouched created client is removed")
        self.assertTrue(changed.exists(), "a client worked on since the import stays")
        self.assertIn("Ещё один", intake.revert_report)
        self.assertFalse(self.client_ivan.mobile)
        self.assertNotIn("Ольга Котова", self.client_ivan.child_ids.mapped("name"))
        self.assertEqual(self.client_olga.user_id, self.olga, "the conflict's hand-over is undone")
        with self.assertRaises(UserError):
            intake.with_user(self.head).action_revert()

    def test_xlsx_file(self):
        file = xlsx_file([["Название", "Телефон", "ИНН"], ["Икс", 84951112233, 5298765431], ["Игрек", None, None]])
        intake = self.intake(None, file=file, file_name="list.xlsx")
        intake.action_preview()
        lines = self.by_row(intake)
        self.assertEqual(lines[2].phone_e164, "+74951112233")
        self.assertEqual(lines[2].state, "match")
        self.assertEqual(lines[3].state, "new")

    def test_bad_files_refused(self):
        cases = [
            (base64.b64encode(b"%PDF-1.4 not a sheet"), "list.pdf", "XLSX, CSV or ODS"),
            (base64.b64encode(b"PK\x03\x04garbage-that-is-no-zip"), "list.xlsx", "could not be read"),
            (base64.b64encode(b"Name,Phone\n"), "list.csv", "no rows of clients"),
            (base64.b64encode(b"   "), "list.csv", "no rows of clients"),
            (base64.b64encode(b"a" * (50 * 1024 * 1024)), "big.csv", "up to 10.0 MB"),
        ]
        for file, name, message in cases:
            with self.subTest(name=name, message=message):
                intake = self.intake(None, file=file, file_name=name)
                with self.assertRaisesRegex(UserError, message):
                    intake.action_preview()
                self.assertEqual(intake.state, "draft")
                self.assertFalse(intake.line_ids)
        no_name = self.intake([["Телефон"], ["84951112233"]])
        with self.assertRaisesRegex(UserError, "client's name"):
            no_name.action_preview()

    def test_rights(self):
        file = csv_file([["Name"], ["x"]])
        for user in (self.ivan, self.maria):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["client_guard.intake"].with_user(user).create(
                    {"file": file, "file_name": "l.csv", "owner_id": user.id})
        intake = self.intake([["Name"], ["x"]])
        with self.assertRaises(AccessError):
            intake.with_user(self.ivan).action_preview()
        self.assertEqual(intake.state, "draft")
        # an admin may run one too
        self.intake([["Name"], ["x"]], user=self.admin).action_preview()
        intake.action_preview()
        with self.assertRaises(UserError):
            intake.line_ids.with_user(self.head).write({"name": "changed"})
        with self.assertRaises(UserError):
            intake.with_user(self.head).action_revert()
        intake.action_confirm()
        with self.assertRaises(UserError):
            intake.with_user(self.head).unlink()

    @settings(max_examples=400, deadline=None)
    @given(st.one_of(
        st.from_regex(PLAIN_EMAIL, fullmatch=True),
        st.text(alphabet="aZя09._%+-@ <>\",;()ÉЁ", max_size=30),
        st.builds("{} <{}>".format, st.text(alphabet="aZ ", max_size=5), st.from_regex(PLAIN_EMAIL, fullmatch=True)),
    ))
    def test_email_key_is_odoo_normalization(self, email):
        """The intake's fast path for plain addresses gives exactly what
        res.partner stores in email_normalized (Odoo's email_normalize)."""
        self.assertEqual(email_key(email), tools.email_normalize(email) or False)
