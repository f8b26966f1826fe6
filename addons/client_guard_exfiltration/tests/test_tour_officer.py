from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestOfficerAlertsTour(HttpCase):
    """Issue 10 §1: the officer reaches the client read alerts from their own
    app and releases a blocked user."""

    def test_officer_releases_a_blocked_reader(self):
        officer = new_test_user(self.env, "tour_alert_officer", name="Officer Oleg", tour_enabled=False,
                                groups="base.group_user,client_guard.group_security_officer")
        reader = new_test_user(self.env, "tour_reader", name="Reader Roma",
                               groups="base.group_user,client_guard.group_scope_own")
        alert = self.env["client_guard.exfiltration.alert"].create({
            "user_id": reader.id, "state": "blocked", "read_count": 25, "window_minutes": 60,
            "alert_count": 10, "block_count": 20})
        self.start_tour("/odoo", "client_guard_officer_alerts", login="tour_alert_officer", timeout=120)
        self.assertEqual(alert.state, "released")
        self.assertEqual(alert.released_by, officer)
