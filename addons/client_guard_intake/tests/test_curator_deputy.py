from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import IntakeCase


@tagged("post_install", "-at_install")
class TestCuratorDeputy(IntakeCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env["curator.deputy"]._curator_today(cls.olga)
        cls.private_olga = cls.client_private
        cls.lead_olga = cls.env["crm.lead"].create({
            "name": "Поставка Вектору", "type": "opportunity", "partner_id": cls.client_olga.id,
            "user_id": cls.olga.id, "team_id": cls.team_b.id})
        cls.activity_olga = cls.client_olga.activity_schedule(
            "mail.mail_activity_data_call", summary="Позвонить Вектору", user_id=cls.olga.id)
        cls.lead_activity = cls.lead_olga.activity_schedule(
            "mail.mail_activity_data_todo", summary="КП Вектору", user_id=cls.olga.id)

    def name_deputy(self, user=None, **vals):
        values = {"curator_id": self.olga.id, "deputy_id": self.ivan.id,
                  "date_from": self.today, "date_to": self.today + timedelta(days=7)}
        values.update(vals)
        return self.env["curator.deputy"].with_user(user or self.head).create(values)

    def sees(self, user, records):
        return records.with_user(user).search([("id", "in", records.ids)])

    def test_visibility_during_and_after(self):
        clients = self.client_olga | self.contact_olga | self.private_olga
        self.assertFalse(self.sees(self.ivan, clients))
        self.assertFalse(self.sees(self.ivan, self.lead_olga))
        period = self.name_deputy()
        self.assertEqual(period.state, "active", "a period starting today starts at once")
        self.assertEqual(self.ivan.client_guard_deputy_for_ids, self.olga)
        self.assertEqual(self.sees(self.ivan, clients), clients, "private clients of the curator too")
        self.assertEqual(self.sees(self.ivan, self.lead_olga), self.lead_olga)
        self.assertEqual(self.sees(self.ivan, self.activity_olga | self.lead_activity),
                         self.activity_olga | self.lead_activity)
        # works with them as if curating: append-only edits, an opportunity of his own
        self.client_olga.with_user(self.ivan).write({"email": "info@vector.example"})
        self.env["crm.lead"].with_user(self.ivan).create({"name": "Ещё", "partner_id": self.client_olga.id})
        with self.assertRaises(UserError):
            self.client_olga.with_user(self.ivan).write({"vat": "1"})  # overwrite: still refused
        # others see nothing more
        self.assertFalse(self.sees(self.maria, self.client_olga))
        period.with_user(self.head).action_end()
        self.assertFalse(self.ivan.client_guard_deputy_for_ids)
        self.assertFalse(self.sees(self.ivan, clients))
        self.assertFalse(self.sees(self.ivan, self.lead_olga))
        with self.assertRaises(AccessError):
            self.client_olga.with_user(self.ivan).read(["name"])

    def test_assignment_and_return(self):
        period = self.name_deputy()
        self.assertEqual(self.activity_olga.user_id, self.ivan, "open activities go to the deputy")
        self.assertEqual(self.lead_activity.user_id, self.ivan)
        self.assertEqual(period.activity_count, 2)
        # a new activity for the away curator (e.g. a PBX call-back) goes to the deputy
        new = self.client_olga.with_user(self.admin).activity_schedule(
            "mail.mail_activity_data_call", summary="Перезвонить: пропущенный", user_id=self.olga.id)
        self.assertEqual(new.user_id, self.ivan)
        # an activity of someone else's client is not touched
        other = self.client_ivan.activity_schedule("mail.mail_activity_data_call", user_id=self.olga.id)
        self.assertEqual(other.user_id, self.olga)
        # the deputy closes one; the rest returns by itself when the period is over
        self.activity_olga.with_user(self.ivan).action_feedback(feedback="Позвонил")
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        lead_open = self.env["crm.lead"].with_user(self.ivan).create(
            {"name": "Открытая", "partner_id": self.client_olga.id})
        lead_won = self.env["crm.lead"].with_user(self.ivan).create(
            {"name": "Выиграна", "partner_id": self.client_olga.id})
        lead_won.stage_id = won_stage
        self.env.cr.execute("UPDATE curator_deputy SET date_from = %s, date_to = %s WHERE id = %s",
                            (self.today - timedelta(days=3), self.today - timedelta(days=1), period.id))
        period.invalidate_recordset()
        self.env["curator.deputy"]._cron_sync()
        self.assertEqual(period.state, "done")
        self.assertEqual(self.lead_activity.user_id, self.olga)
        self.assertEqual(new.user_id, self.olga)
        self.assertFalse(self.activity_olga.exists(), "what the deputy closed stays closed")
        self.assertEqual(lead_open.user_id, self.olga)
        self.assertEqual(lead_won.user_id, self.ivan, "a won opportunity stays the deputy's")
        self.assertEqual(period.returned_count, 3)
        history = self.env["res.partner.curator.history"].search(
            [("partner_id", "=", self.client_olga.id), ("kind", "=", "deputy")])
        self.assertEqual(history.user_id, self.ivan)
        self.assertEqual(history.deputy_period_id, period)
        self.assertTrue(history.date_to)
        self.assertEqual(self.client_olga.user_id, self.olga, "the curator never changed")

    def test_planned_period_starts_by_cron(self):
        period = self.name_deputy(date_from=self.today + timedelta(days=1), date_to=self.today + timedelta(days=2))
        self.assertEqual(period.state, "planned")
        self.assertFalse(self.sees(self.ivan, self.client_olga))
        self.env.cr.execute("UPDATE curator_deputy SET date_from = %s WHERE id = %s", (self.today, period.id))
        period.invalidate_recordset()
        self.env["curator.deputy"]._cron_sync()
        self.assertEqual(period.state, "active")
        self.assertEqual(self.sees(self.ivan, self.client_olga), self.client_olga)

    def test_days_are_the_curators(self):
        """A period starts and ends on the curator's calendar day, whoever names
        the deputy and whatever time zone the daily job runs in: UTC+14 and
        UTC-11 are never on the same date."""
        self.olga.tz = "Pacific/Kiritimati"
        self.head.tz = "Pacific/Pago_Pago"
        olga_today = self.env["curator.deputy"]._curator_today(self.olga)
        head_today = fields.Date.context_today(self.env["curator.deputy"].with_user(self.head))
        self.assertGreater(olga_today, head_today)
        period = self.name_deputy(date_from=olga_today, date_to=olga_today)
        self.assertEqual(period.state, "active", "today for the curator, tomorrow for the head")
        self.env["curator.deputy"].with_context(tz="Pacific/Pago_Pago")._cron_sync()
        self.assertEqual(period.state, "active", "the daily job in another zone neither ends nor restarts it")
        self.env["curator.deputy"].with_context(tz="Pacific/Kiritimati")._cron_sync()
        self.assertEqual(period.state, "active")
        self.env.cr.execute("UPDATE curator_deputy SET date_from = %s, date_to = %s WHERE id = %s",
                            (olga_today - timedelta(days=1), olga_today - timedelta(days=1), period.id))
        period.invalidate_recordset()
        self.env["curator.deputy"].with_context(tz="Pacific/Pago_Pago")._cron_sync()
        self.assertEqual(period.state, "done", "over on the curator's yesterday, even where it is still that day")

    def test_rights(self):
        for user in (self.ivan, self.olga, self.maria):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.name_deputy(user=user)
        self.assertFalse(self.env["curator.deputy"].search([]))
        self.env.company.client_guard_deputy_by_curator = True
        self.name_deputy(user=self.olga)  # the curator for herself
        with self.assertRaises(AccessError):
            self.name_deputy(user=self.maria, curator_id=self.olga.id, date_from=self.today + timedelta(days=30),
                             date_to=self.today + timedelta(days=31))
        with self.assertRaises(ValidationError):
            self.name_deputy(deputy_id=self.maria.id)  # overlapping period
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.name_deputy(curator_id=self.ivan.id, deputy_id=self.ivan.id)
