from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ExfiltrationCase

MUTED = ("odoo.addons.client_guard.models.client_guard_security_event",)


@tagged("post_install", "-at_install")
class TestExfiltrationMessages(ExfiltrationCase):
    """What the blocked user and the officers are told (issue 10 §2)."""

    @mute_logger(*MUTED)
    def test_block_message_shows_the_count_that_crossed_the_limit(self):
        self.read_clients(self.sales, self.clients[:5])
        error = self.refused(AccessError, self.read_clients, self.sales, self.clients[5:7])
        self.assertIn("(7, the limit is 5)", str(error))
        # a later refused read tells the same figures, not what is left in the window
        error = self.refused(AccessError, self.read_clients, self.sales, self.clients[:1])
        self.assertIn("(7, the limit is 5)", str(error))
        event = self.Event.search([("user_id", "=", self.sales.id), ("event_type", "=", "read_refused")],
                                  order="id desc", limit=1)
        self.assertIn("7", event.details)

    @mute_logger(*MUTED)
    def test_alert_chatter_line_in_the_officers_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"].search([("name", "=", "client_guard_exfiltration")])._update_translations(
            ["ru_RU"])
        self.Alert._officers().write({"lang": "ru_RU"})
        # the salesperson reads in English
        self.sales.lang = "en_US"
        self.read_clients(self.sales.with_context(lang="en_US"), self.clients[:4])
        alert = self.Alert.search([("user_id", "=", self.sales.id)])
        self.assertEqual(alert.state, "alerted")
        notes = alert.message_ids.mapped("body")
        self.assertTrue(any("клиентов за" in (note or "") for note in notes), notes)
        self.assertFalse(any("clients read in" in (note or "") or " read 4 clients" in (note or "")
                             for note in notes), notes)
        self.assertTrue(alert.activity_ids)
        for activity in alert.activity_ids:
            self.assertIn("клиентов", activity.summary)
