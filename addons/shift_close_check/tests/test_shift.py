import io
from datetime import timedelta

import openpyxl

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestShift(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env.company.write({"shift_min_call_duration": 30, "shift_min_note_length": 10,
                               "shift_require_reason": False, "shift_count_missed": True,
                               "shift_reminder_minutes": 60})
        cls.team = cls.env["crm.team"].create({"name": "Shift dept"})
        dept = "base.group_user,client_guard.group_scope_department"
        cls.employee = new_test_user(cls.env, "sh_emp", groups=dept, tz="UTC")
        cls.employee.pbx_extension = "8801"
        cls.head = new_test_user(cls.env, "sh_head", groups=dept)
        cls.other = new_test_user(cls.env, "sh_other", groups=dept)
        cls.officer = new_test_user(cls.env, "sh_officer", groups="base.group_user,client_guard.group_security_officer")
        cls.team.write({"user_id": cls.head.id, "member_ids": [(6, 0, [cls.employee.id, cls.other.id])]})
        cls.client = cls.env["res.partner"].create({"name": "Shift client", "phone": "+7 499 555-00-01",
                                                    "user_id": cls.employee.id, "team_id": cls.team.id})
        cls.shift = cls.env["work.shift"]._ensure_open(cls.employee)
        cls.shift.date_start = fields.Datetime.now() - timedelta(hours=2)

    def push(self, uniqueid, **values):
        call = {"uniqueid": uniqueid, "src": "+74995550001", "dst": "8801",
                "start": fields.Datetime.to_string(fields.Datetime.now() - timedelta(minutes=90)) + "+00:00",
                "duration": 70, "billsec": 60, "disposition": "ANSWERED"}
        call.update(values)
        [result] = self.env["pbx.call"].sudo()._register_calls([call])
        return self.env["pbx.call"].browse(result["id"])

    def test_one_open_shift_per_employee(self):
        again = self.env["work.shift"]._ensure_open(self.employee)
        self.assertEqual(again, self.shift)
        self.assertEqual(self.shift.team_id, self.team)
        # a call of the day opens the shift of an employee who has none
        self.other.pbx_extension = "8802"
        self.push("open-by-call", dst="8802")
        self.assertEqual(self.env["work.shift"].search_count([("user_id", "=", self.other.id),
                                                             ("state", "=", "open")]), 1)

    def test_close_refused_while_calls_lack_notes(self):
        call = self.push("c1")
        short = self.push("c2", billsec=10, duration=15)
        shift = self.shift.with_user(self.employee)
        with self.assertRaises(UserError) as ctx:
            shift.action_close()
        self.assertIn("+7 499 555-00-01", str(ctx.exception), "the number as Odoo formats phone numbers")
        self.assertEqual(self.shift.state, "open")
        self.assertNotIn(short, self.shift._calls_needing_note(), "short calls need no note")
        # spaces are no note; a short note is not enough
        call.with_user(self.employee).write({"note": "     "})
        with self.assertRaises(UserError):
            shift.action_close()
        call.with_user(self.employee).write({"note": "Wants a price list for next week"})
        shift.action_close()
        self.assertEqual(self.shift.state, "closed")
        self.assertEqual(self.shift.call_count, 2)
        self.assertEqual(self.shift.noted_count, 1)

    def test_close_through_the_wizard(self):
        call = self.push("w1")
        action = self.shift.with_user(self.employee).with_context(shift_close_wizard=True).action_close()
        wizard = self.env["work.shift.close.wizard"].with_user(self.employee).browse(action["res_id"])
        self.assertEqual(wizard.line_ids.call_id, call)
        wizard.line_ids.note = "Discussed the delivery dates"
        wizard.line_ids.reason_id = self.env.ref("pbx_call_capture.reason_order")
        wizard.action_confirm()
        self.assertEqual(self.shift.state, "closed")
        self.assertEqual(call.note, "Discussed the delivery dates")

    def test_reason_required_and_missed_calls(self):
        self.env.company.shift_require_reason = True
        call = self.push("r1")
        call.with_user(self.employee).write({"note": "A long enough note"})
        self.assertIn(call, self.shift._calls_needing_note())
        missed = self.push("r2", billsec=0, disposition="NO ANSWER")
        self.assertIn(missed, self.shift._calls_needing_note())
        self.env.company.shift_count_missed = False
        self.assertNotIn(missed, self.shift._calls_needing_note())

    def test_force_close_rights(self):
        self.push("f1")
        with self.assertRaises(AccessError):
            self.shift.with_user(self.other).action_force_close("no")
        with self.assertRaises(AccessError):
            self.shift.with_user(self.other).action_close()
        self.assertEqual(self.shift.state, "open")
        self.shift.with_user(self.head).action_force_close("Went home ill")
        self.assertEqual(self.shift.state, "force_closed")
        self.assertEqual(self.shift.force_reason, "Went home ill")
        self.assertEqual(len(self.shift.missing_call_ids), 1)
        shift2 = self.env["work.shift"]._ensure_open(self.employee)
        shift2.with_user(self.officer).action_force_close("Audit")
        self.assertEqual(shift2.state, "force_closed")

    def test_midnight_job(self):
        self.shift.date_start = fields.Datetime.now() - timedelta(days=1, hours=1)
        self.env["work.shift"]._cron_close_forgotten_shifts()
        self.assertEqual(self.shift.state, "force_closed")
        self.assertEqual(self.shift.force_reason, "not closed by the employee")

    def test_reminders_sent_once(self):
        call = self.push("rem1")
        Shift = self.env["work.shift"]
        Shift._cron_note_reminders()
        self.assertEqual(len(self.shift.activity_ids), 1)
        self.assertTrue(call.note_reminder_sent)
        Shift._cron_note_reminders()
        self.assertEqual(len(self.shift.activity_ids), 1)

    def test_required_client_fields(self):
        self.env.company.client_required_field_ids = self.env["ir.model.fields"].search(
            [("model", "=", "res.partner"), ("name", "in", ["phone", "email"])])
        Partner = self.env["res.partner"].with_user(self.employee)
        with self.assertRaises(ValidationError):
            Partner.create({"name": "No phone", "email": "x@example.com"})
        self.assertFalse(self.env["res.partner"].search([("name", "=", "No phone")]))
        Partner.create({"name": "Complete", "email": "x@example.com", "phone": "+7 499 000-00-00"})
        self.assertTrue(Partner.fields_get(["phone"], ["required"])["phone"]["required"])

    def test_xlsx_report(self):
        noted = self.push("x1")
        noted.with_user(self.employee).write({"note": "All fine, call again in May"})
        self.push("x2")
        self.push("x3", billsec=0, disposition="NO ANSWER")
        self.shift.with_user(self.head).action_force_close("Report test")
        date_from = fields.Datetime.now() - timedelta(days=1)
        content = self.env["work.shift"].with_user(self.head)._report_xlsx(date_from, fields.Datetime.now())
        book = openpyxl.load_workbook(io.BytesIO(content))
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        self.assertTrue(rows[1][0].startswith("sh_emp"))
        self.assertEqual(rows[1][1:8], (1, 3, 2, 1, 1, 2, 1))
        self.assertEqual(rows[1][8], 60)
        calls = list(book.worksheets[1].iter_rows(values_only=True))
        self.assertEqual(len(calls), 3)
        # visibility: another department's head sees nothing
        stranger = new_test_user(self.env, "sh_stranger", groups="base.group_user")
        self.env["crm.team"].create({"name": "Other dept", "user_id": stranger.id})
        content = self.env["work.shift"].with_user(stranger)._report_xlsx(date_from, fields.Datetime.now())
        rows = list(openpyxl.load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
        self.assertEqual(len(rows), 1)
