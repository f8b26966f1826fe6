"""Deputies proposed from Odoo's Time Off (hr_holidays), which the module
uses when installed without depending on it.

These tests run only where hr_holidays is installed: ``./run-tests`` runs
them in its sweep stage, which installs hr_holidays next to the suite (see
tools/run_tests.py); elsewhere they are skipped.
"""

from datetime import timedelta
from unittest import SkipTest

from odoo import fields
from odoo.tests import Form, tagged

from .common import IntakeCase


@tagged("post_install", "-at_install", "client_guard_intake_time_off")
class TestDeputyTimeOff(IntakeCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "hr.leave" not in cls.env:
            raise SkipTest("hr_holidays is not installed: the Time Off proposals are tested in the sweep stage")
        cls.today = fields.Date.context_today(cls.env["curator.deputy"])
        Employee = cls.env["hr.employee"]
        cls.employees = {
            user: Employee.create({"name": user.name, "user_id": user.id, "company_id": cls.env.company.id})
            for user in (cls.ivan, cls.maria, cls.head)
        }
        cls.leave_type = cls.env["hr.leave.type"].create({
            "name": "Annual leave (intake test)", "requires_allocation": "no",
            "leave_validation_type": "hr", "company_id": cls.env.company.id,
        })
        # the next Monday at least ten days ahead: two working weeks
        start = cls.today + timedelta(days=10)
        cls.leave_from = start + timedelta(days=(7 - start.weekday()) % 7)
        cls.leave_to = cls.leave_from + timedelta(days=11)

    def leave(self, user, date_from, date_to, validate=True):
        leave = self.env["hr.leave"].create({
            "name": "Отпуск", "employee_id": self.employees[user].id, "holiday_status_id": self.leave_type.id,
            "request_date_from": date_from, "request_date_to": date_to,
        })
        if validate:
            leave.action_approve()
        return leave

    def propose(self, curator, user=None):
        form = Form(self.env["curator.deputy"].with_user(user or self.head))
        form.curator_id = curator
        return form

    def test_proposal_from_an_approved_leave(self):
        leave = self.leave(self.ivan, self.leave_from, self.leave_to)
        self.assertEqual(leave.state, "validate")
        form = self.propose(self.ivan)
        self.assertEqual((form.date_from, form.date_to), (self.leave_from, self.leave_to),
                         "the period is the curator's next approved leave")
        self.assertEqual(form.deputy_id, self.maria, "a colleague of the curator's department")
        self.assertIn(str(self.leave_from), form.leave_info)
        period = form.save()
        self.assertEqual((period.curator_id, period.deputy_id, period.state), (self.ivan, self.maria, "planned"))

    def test_colleague_away_too_is_not_proposed(self):
        self.leave(self.ivan, self.leave_from, self.leave_to)
        # Maria is away for part of Ivan's leave: the head of the department is proposed
        self.leave(self.maria, self.leave_from + timedelta(days=7), self.leave_to + timedelta(days=7))
        form = self.propose(self.ivan)
        self.assertEqual(form.deputy_id, self.head)
        # a leave of Maria's that does not overlap Ivan's does not count
        self.env["hr.leave"].search([("employee_id", "=", self.employees[self.maria].id)]).action_refuse()
        self.leave(self.maria, self.leave_to + timedelta(days=14), self.leave_to + timedelta(days=18))
        self.assertEqual(self.propose(self.ivan).deputy_id, self.maria)

    def test_no_proposal_without_an_approved_leave(self):
        self.leave(self.ivan, self.leave_from, self.leave_to, validate=False)  # still to approve
        self.leave(self.ivan, self.today - timedelta(days=40), self.today - timedelta(days=30))  # over
        form = self.propose(self.ivan)
        self.assertEqual(form.date_from, self.today, "the default dates stay")
        self.assertFalse(form.deputy_id)
        self.assertFalse(form.leave_info)
