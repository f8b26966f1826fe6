from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ExfiltrationCase

MUTED = ("odoo.addons.client_guard.models.client_guard_security_event", "odoo.addons.base.models.ir_rule")


@tagged("post_install", "-at_install")
class TestExfiltrationGuard(ExfiltrationCase):
    def test_counts_distinct_clients_not_rereads(self):
        self.read_clients(self.sales, self.clients[:2])
        self.assertEqual(self.marks(self.sales).partner_id, self.clients[:2])
        self.read_clients(self.sales, self.clients[:2])
        self.clients[:2].with_user(self.sales).web_read({"display_name": {}, "email": {}})
        self.assertEqual(len(self.marks(self.sales)), 2, "rereading the same clients does not count")
        self.env["res.partner"].with_user(self.sales).search_read(
            [("id", "in", self.clients[:3].ids)], ["name", "email"])
        self.assertEqual(len(self.marks(self.sales)), 3)
        self.assertFalse(self.Alert.search([("user_id", "=", self.sales.id)]))

    def test_names_and_non_clients_do_not_count(self):
        # labels and autocomplete (names only) are not reads of contact details
        self.read_clients(self.sales, self.clients, fields=("name", "display_name"))
        self.env["res.partner"].with_user(self.sales).name_search("Exfiltration client")
        # the company's and users' own partners are not clients
        others = self.env.company.partner_id | self.officer.partner_id | self.sales.partner_id
        others.with_user(self.sales).read(["name", "email", "phone"])
        self.assertFalse(self.marks(self.sales))

    def test_web_search_read_counts(self):
        spec = {"display_name": {}, "phone": {}, "email": {}}
        result = self.env["res.partner"].with_user(self.sales).web_search_read(
            [("id", "in", self.clients[:3].ids)], spec)
        self.assertEqual(result["length"], 3)
        self.assertEqual(self.marks(self.sales).partner_id, self.clients[:3])

    def test_export_counts(self):
        self.sales.groups_id = [(4, self.env.ref("base.group_allow_export").id)]
        self.clients[:2].with_user(self.sales).export_data(["name", "phone"])
        self.assertEqual(self.marks(self.sales).partner_id, self.clients[:2])

    def test_superuser_code_never_counts(self):
        self.clients.with_user(self.sales).sudo().read(["name", "phone"])
        self.clients.read(["name", "phone"])
        self.assertFalse(self.Mark.search([]))

    @mute_logger(*MUTED)
    def test_alert_above_threshold(self):
        self.read_clients(self.sales, self.clients[:3])
        self.assertFalse(self.Alert.search([("user_id", "=", self.sales.id)]), "3 clients: not above 3")
        rows = self.read_clients(self.sales, self.clients[3:4])
        self.assertEqual(rows[0]["phone"], self.clients[3].phone, "an alert does not refuse the read")
        alert = self.Alert.search([("user_id", "=", self.sales.id)])
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.state, "alerted")
        self.assertEqual(alert.read_count, 4)
        # the officer is notified (an activity for them) and the event is in the security log
        self.assertIn(self.officer, alert.activity_ids.user_id)
        events = self.Event.search([("user_id", "=", self.sales.id), ("event_type", "=", "read_alert")])
        self.assertEqual(len(events), 1)
        # one alert per episode: more reads below the blocking threshold add none
        self.read_clients(self.sales, self.clients[4:5])
        self.assertEqual(len(self.Alert.search([("user_id", "=", self.sales.id)])), 1)
        self.assertEqual(alert.with_user(self.officer).read(["state"])[0]["state"], "alerted")

    @mute_logger(*MUTED)
    def test_block_above_second_threshold_and_release(self):
        self.read_clients(self.sales, self.clients[:5])
        error = self.refused(AccessError, self.read_clients, self.sales, self.clients[5:6])
        self.assertIn("security officer", str(error))
        alert = self.Alert.search([("user_id", "=", self.sales.id)])
        self.assertEqual(alert.state, "blocked")
        self.assertEqual(alert.read_count, 6)
        self.assertTrue(self.Event.search([("user_id", "=", self.sales.id), ("event_type", "=", "read_blocked")]))
        marks_before = len(self.marks(self.sales))
        # further reads of clients are refused, already-read ones too, and nothing is recorded
        self.refused(AccessError, self.read_clients, self.sales, self.clients[:1])
        self.refused(AccessError, self.read_clients, self.sales, self.clients[7:8])
        self.refused(AccessError, self.env["res.partner"].with_user(self.sales).search_read,
                     [("id", "in", self.clients.ids)], ["email"])
        self.assertEqual(len(self.marks(self.sales)), marks_before)
        self.assertTrue(self.Event.search([("user_id", "=", self.sales.id), ("event_type", "=", "read_refused")]))
        # Odoo stays usable: names and non-client partners
        self.assertEqual(self.read_clients(self.sales, self.clients[:1], fields=("name",))[0]["name"],
                         self.clients[0].name)
        self.env.company.partner_id.with_user(self.sales).read(["name", "email"])
        self.sales.partner_id.with_user(self.sales).read(["name", "email"])
        # a salesperson cannot release anybody, themselves included: nothing changes
        self.refused(AccessError, alert.with_user(self.sales).action_release)
        self.refused(AccessError, alert.with_user(self.dept).action_release)
        self.assertEqual(alert.state, "blocked")
        self.assertFalse(alert.released_by)
        self.refused(AccessError, self.read_clients, self.sales, self.clients[:1])
        # the officer releases: reads work again, the window starts from zero
        alert.with_user(self.officer).action_release()
        self.assertEqual(alert.state, "released")
        self.assertEqual(alert.released_by, self.officer)
        self.assertTrue(alert.released_on)
        self.assertFalse(alert.activity_ids, "the officers' activities are done")
        rows = self.read_clients(self.sales, self.clients[:2])
        self.assertEqual(rows[1]["phone"], self.clients[1].phone)
        self.assertEqual(len(self.marks(self.sales)), 2)
        self.assertTrue(self.Event.search([("user_id", "=", self.sales.id), ("event_type", "=", "read_released")]))

    @mute_logger(*MUTED)
    def test_block_in_one_list_read(self):
        # one list read above the blocking threshold is refused as a whole
        spec = {"display_name": {}, "phone": {}}
        self.refused(AccessError, self.env["res.partner"].with_user(self.sales).web_search_read,
                     [("id", "in", self.clients.ids)], spec)
        alert = self.Alert.search([("user_id", "=", self.sales.id)])
        self.assertEqual((alert.state, alert.read_count), ("blocked", 10))

    def test_integration_user_exempt(self):
        # a user cannot exempt themselves
        with self.assertRaises(AccessError):
            self.sales.with_user(self.sales).write({"client_guard_integration": True})
        self.assertFalse(self.sales.client_guard_integration)
        self.read_clients(self.pbx, self.clients)
        self.assertFalse(self.marks(self.pbx))
        self.assertFalse(self.Alert.search([("user_id", "=", self.pbx.id)]))
        # the group does the same as the box
        pbx2 = new_test_user(self.env, "ex_pbx2", groups="base.group_user,client_guard.group_scope_all,"
                             "client_guard_exfiltration.group_integration")
        self.read_clients(pbx2, self.clients)
        self.assertFalse(self.marks(pbx2))
        # unticking the box counts the reads again (cache cleared)
        self.pbx.client_guard_integration = False
        self.read_clients(self.pbx, self.clients[:1])
        self.assertEqual(len(self.marks(self.pbx)), 1)

    @mute_logger(*MUTED)
    def test_sliding_window_forgets_old_reads(self):
        self.read_clients(self.sales, self.clients[:3])
        self.env.cr.execute(
            "UPDATE client_guard_exfiltration_mark SET last_read = last_read - interval '61 minutes' "
            "WHERE user_id = %s", [self.sales.id])
        self.Mark.invalidate_model()
        # 3 old (outside the 60-minute window) + 3 new: only 3 count, no alert
        self.read_clients(self.sales, self.clients[3:6])
        self.assertFalse(self.Alert.search([("user_id", "=", self.sales.id)]))
        # a reread puts an old client back into the window
        self.read_clients(self.sales, self.clients[:1])
        self.assertEqual(self.Alert.search([("user_id", "=", self.sales.id)]).read_count, 4)
        # the hourly job deletes what no window needs any more
        self.assertEqual(self.Mark._cron_forget_old_reads(), 2)
        self.assertEqual(len(self.marks(self.sales)), 4)

    @mute_logger(*MUTED)
    def test_thresholds_per_group(self):
        Users = self.env["res.users"]
        self.assertEqual(Users._client_guard_read_limits(self.sales.id), (60, 3, 5))
        self.assertEqual(Users._client_guard_read_limits(self.dept.id), (60, 7, 9))
        # a user in several groups gets the most permissive row (all < department here)
        self.pbx.client_guard_integration = False
        self.assertEqual(Users._client_guard_read_limits(self.pbx.id), (60, 7, 9))
        # users outside Client Guard and the superuser are not counted
        plain = new_test_user(self.env, "ex_plain", groups="base.group_user,base.group_partner_manager")
        self.assertIsNone(Users._client_guard_read_limits(plain.id))
        self.assertIsNone(Users._client_guard_read_limits(self.env.ref("base.user_root").id))
        # the department user reads 6 clients: no alert, while the own-level user is blocked
        self.read_clients(self.dept, self.clients[:6])
        self.assertFalse(self.Alert.search([("user_id", "=", self.dept.id)]))
        self.refused(AccessError, self.read_clients, self.sales, self.clients[:6])
        # the officer changes a threshold: it applies at once
        self.env.ref("client_guard_exfiltration.threshold_scope_department").with_user(self.officer).write(
            {"alert_count": 4})
        self.read_clients(self.dept, self.clients[6:7])
        self.assertEqual(self.Alert.search([("user_id", "=", self.dept.id)]).state, "alerted")

    def test_threshold_validation(self):
        row = self.env.ref("client_guard_exfiltration.threshold_scope_own")
        with self.assertRaises(UserError):
            row.write({"alert_count": 10, "block_count": 5})
        with self.assertRaises(UserError):
            row.write({"window_minutes": 0})
        self.assertEqual((row.window_minutes, row.alert_count, row.block_count), (60, 3, 5))
        with self.assertRaises(AccessError):
            row.with_user(self.sales).write({"block_count": 100000})
        with self.assertRaises(AccessError):
            self.Alert.with_user(self.sales).search([])
        with self.assertRaises(AccessError):
            self.Mark.with_user(self.sales).search([])

    def test_officer_does_not_see_reads_of_private_clients(self):
        private = self.clients[0]
        private.write({"is_private": True})
        self.read_clients(self.sales, self.clients[:3])
        self.assertEqual(len(self.marks(self.sales)), 3)
        seen = self.Mark.with_user(self.officer).search([("user_id", "=", self.sales.id)])
        self.assertEqual(seen.partner_id, self.clients[1:3])
        private.write({"trusted_user_ids": [(4, self.officer.id)]})
        seen = self.Mark.with_user(self.officer).search([("user_id", "=", self.sales.id)])
        self.assertEqual(seen.partner_id, self.clients[:3])


@tagged("post_install", "-at_install")
class TestExfiltrationNewRecords(ExfiltrationCase):
    """Issue 10: creating a client or adding a contact in the form crashed with
    "can't adapt type 'NewId'" for every user under the guard."""

    def test_form_creates_client_with_contact(self):
        form = Form(self.env["res.partner"].with_user(self.sales))
        form.company_type = "company"
        form.name = "Client from the form"
        form.phone = "+7 495 222-33-44"
        with form.child_ids.new() as contact:
            contact.name = "Contact from the form"
            contact.phone = "+7 495 222-33-45"
        client = form.save()
        self.assertEqual(client.user_id, self.sales)
        self.assertEqual(client.child_ids.name, "Contact from the form")

    def test_new_records_are_not_counted(self):
        Partner = self.env["res.partner"].with_user(self.sales)
        rows = Partner.new({"name": "Unsaved", "phone": "+7 495 222-33-46"}).read(["phone"])
        self.assertEqual(rows[0]["phone"], "+7 495 222-33-46")
        self.assertFalse(self.marks(self.sales))
        # a new record standing for a stored client (a form's onchange) counts as that client
        Partner.new(origin=self.clients[0].with_user(self.sales)).read(["phone"])
        self.assertEqual(self.marks(self.sales).partner_id, self.clients[0])
