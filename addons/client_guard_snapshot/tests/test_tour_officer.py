from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestOfficerTour(HttpCase):
    """Issue 10 §1: the security officer's day in their own app (security log,
    a call deleted and its trace, a snapshot taken now, a restore)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env, "tour_officer", name="Officer Oleg", tour_enabled=False,
            groups="base.group_user,client_guard.group_security_officer")
        sneaky = new_test_user(cls.env, "tour_sneaky", name="Sneaky Semyon",
                               groups="base.group_user,client_guard.group_scope_own")
        cls.env["client_guard.security.event"]._log_refusal(
            "export_refused", "Export of 200 clients refused", user_id=sneaky.id)
        Partner = cls.env["res.partner"]
        caller = Partner.create({"name": "Calling Cyril Ltd", "is_company": True, "phone": "+7 495 700-00-03",
                                 "user_id": sneaky.id})
        [row] = cls.env["pbx.call"].sudo()._register_calls([{
            "uniqueid": "tour-officer-1", "src": "+74957000003", "dst": "7703",
            "start": fields.Datetime.to_string(fields.Datetime.now() - timedelta(minutes=1)) + "+00:00",
            "duration": 30, "billsec": 20, "disposition": "ANSWERED",
        }])
        cls.call = cls.env["pbx.call"].browse(row["id"])
        cls.call.partner_id = caller
        cls.gone = Partner.create({"name": "Deleted Dmitri Ltd", "is_company": True, "user_id": sneaky.id,
                                   "email": "office@dmitri.example"})
        cls.before = cls.env["client_guard.snapshot"].sudo()._take_snapshot()
        cls.before.name = "Before the deletion"
        cls.former_id = cls.gone.id
        cls.gone.unlink()

    def test_officer_day(self):
        Snapshot = self.env["client_guard.snapshot"]
        self.start_tour("/odoo", "client_guard_officer_day", login="tour_officer", timeout=240)
        self.assertFalse(self.call.exists(), "the officer deleted the call")
        trace = self.env["pbx.call.deletion"].search([("uniqueid", "=", "tour-officer-1")])
        self.assertEqual(trace.deleted_by_id, self.officer)
        taken = Snapshot.search([("id", ">", self.before.id)])
        self.assertEqual(len(taken), 1, "one snapshot taken now")
        self.assertEqual(taken.state, "done")
        restored = self.env["res.partner"].search([("name", "=", "Deleted Dmitri Ltd")])
        self.assertEqual(len(restored), 1, "the deleted client is back")
        self.assertEqual(restored.email, "office@dmitri.example")
