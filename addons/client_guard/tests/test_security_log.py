from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import ClientGuardCase


@tagged("post_install", "-at_install")
class TestSecurityLog(ClientGuardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Event = cls.env["client_guard.security.event"]
        cls.officer = new_test_user(
            cls.env, "cg_officer", email="officer@cg.example",
            groups="base.group_user,client_guard.group_security_officer")

    def refused(self, exception, func, *args, **kwargs):
        """Like assertRaises, without its savepoint: the security event logged
        with the refusal must survive (it has its own transaction in production)."""
        try:
            func(*args, **kwargs)
        except exception as error:
            return error
        self.fail(f"{exception.__name__} not raised")

    def events(self, event_type, user):
        return self.Event.search([("event_type", "=", event_type), ("user_id", "=", user.id)])

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.client_guard.models.client_guard_security_event")
    def test_private_client_request_logged(self):
        self.assertFalse(self.events("private_refused", self.user_admin))
        name = self.client_private.name
        self.refused(AccessError, self.client_private.with_user(self.user_admin).read, ["name", "phone"])
        self.refused(AccessError, self.client_private.with_user(self.user_admin).check_access, "read")
        event = self.events("private_refused", self.user_admin)
        self.assertEqual(len(event), 2)
        self.assertEqual(event[0].res_ids, str(self.client_private.id))
        self.assertEqual(event[0].model, "res.partner")
        # nothing changed, and the trusted user still reads it
        self.assertEqual(self.client_private.with_user(self.user_head).name, name)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_other_refusals_are_not_private(self):
        # a foreign, non-private client refused to an own-level user: not a private request
        self.refused(AccessError, self.client_b.with_user(self.user_own).read, ["name"])
        self.assertFalse(self.events("private_refused", self.user_own))
        # filtering access (no error) logs nothing either
        self.assertFalse(self.client_private.with_user(self.user_admin).has_access("read"))
        self.assertFalse(self.events("private_refused", self.user_admin))

    @mute_logger("odoo.addons.client_guard.models.client_guard_security_event")
    def test_daily_digest(self):
        self.assertFalse(self.Event._cron_send_digest(), "no event, no digest")
        both = (self.client_own | self.client_dept).with_user(self.user_dept)
        self.refused(UserError, both.write, {"street": "Mass"})
        self.assertFalse(any(both.sudo().mapped("street")), "nothing written")
        self.Event._log_refusal("export_refused", "Export of res.partner refused.", user_id=self.user_own.id)
        self.Event._log_refusal("export_refused", "Export of res.partner refused.", user_id=self.user_own.id)
        old = self.Event._log_refusal("login_refused", "Old event", user_id=self.user_all.id)
        self.assertIsNone(old)
        self.env.cr.execute(
            "UPDATE client_guard_security_event SET create_date = now() - interval '2 days' "
            "WHERE details = 'Old event'")
        mails = self.Event._cron_send_digest()
        officers = self.Event._digest_officers()
        self.assertIn(self.officer, officers)
        self.assertEqual(mails.mapped("recipient_ids"), officers.partner_id)
        mail = mails.filtered(lambda m: m.recipient_ids == self.officer.partner_id)
        self.assertEqual(len(mail), 1)
        body = str(mail.body_html)
        self.assertIn("3 event(s)", mail.subject)
        self.assertIn("Export refused", body)
        self.assertIn("Change refused", body)
        self.assertIn(self.user_own.name, body)
        self.assertIn(self.user_dept.name, body)
        self.assertNotIn("Old event", body)
        self.assertNotIn("Login refused", body)

    def test_digest_cron_exists(self):
        cron = self.env.ref("client_guard.ir_cron_security_event_digest")
        self.assertTrue(cron.active)
        self.assertEqual(cron.interval_type, "days")

    def test_security_log_officers_only(self):
        self.Event._log_refusal("export_refused", "x", user_id=self.user_own.id)
        with self.assertRaises(AccessError):
            self.Event.with_user(self.user_own).search([])
        self.assertTrue(self.Event.with_user(self.officer).search([]))
