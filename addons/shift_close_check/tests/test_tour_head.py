import io
from datetime import timedelta

import openpyxl

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestHeadShiftsTour(HttpCase):
    """Issue 10 §1: a department head force-closes a shift with a reason and
    downloads the shift report, from CRM > Shifts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"shift_min_call_duration": 30, "shift_min_note_length": 10,
                               "shift_require_reason": False, "shift_count_missed": False})
        cls.team = cls.env["crm.team"].create({"name": "Tour shifts department"})
        dept = "base.group_user,client_guard.group_scope_department"
        cls.head = new_test_user(cls.env, "tour_shift_head", name="Head Helena", tour_enabled=False,
                                 groups=f"{dept},client_guard.group_plan_for_others")
        cls.employee = new_test_user(cls.env, "tour_shift_emp", name="Forgetful Fedor", groups=dept)
        cls.employee.pbx_extension = "7702"
        cls.team.write({"user_id": cls.head.id, "member_ids": [(6, 0, [cls.employee.id])]})
        cls.env["res.partner"].create({"name": "Tour shift client", "phone": "+7 495 700-00-02",
                                       "user_id": cls.employee.id, "team_id": cls.team.id})
        cls.shift = cls.env["work.shift"]._ensure_open(cls.employee)
        cls.shift.date_start = fields.Datetime.now() - timedelta(hours=3)
        start = fields.Datetime.now() - timedelta(minutes=90)
        cls.env["pbx.call"].sudo()._register_calls([
            {"uniqueid": "tour-head-1", "src": "+74957000002", "dst": "7702",
             "start": fields.Datetime.to_string(start) + "+00:00",
             "duration": 70, "billsec": 60, "disposition": "ANSWERED"},
        ])

    def test_head_force_closes_and_downloads_the_report(self):
        self.start_tour("/odoo", "client_guard_head_shifts", login="tour_shift_head", timeout=180)
        self.assertEqual(self.shift.state, "force_closed")
        self.assertEqual(self.shift.force_reason, "Went home ill, notes tomorrow")
        self.assertEqual(self.shift.forced_by_id, self.head)
        self.assertEqual(len(self.shift.missing_call_ids), 1)
        # the report the menu downloads, as the head
        self.authenticate("tour_shift_head", "tour_shift_head")
        response = self.url_open("/shift_close_check/report.xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]
        self.assertIn("Forgetful Fedor", cells)
