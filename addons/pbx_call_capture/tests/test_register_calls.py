from unittest.mock import patch

import phonenumbers

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRegisterCalls(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env["ir.config_parameter"].sudo().set_param("pbx_call_capture.timezone", "Europe/Moscow")
        cls.env.company.country_id = cls.env.ref("base.ru")
        cls.team = cls.env["crm.team"].create({"name": "Calls dept"})
        dept = "base.group_user,client_guard.group_scope_department"
        cls.employee = new_test_user(cls.env, "pbx_emp", groups=dept)
        cls.employee.pbx_extension = "9101"
        cls.colleague = new_test_user(cls.env, "pbx_colleague", groups=dept)
        cls.colleague.pbx_extension = "9102"
        cls.outsider = new_test_user(cls.env, "pbx_outsider", groups="base.group_user,client_guard.group_scope_own")
        cls.admin = new_test_user(cls.env, "pbx_admin", groups="base.group_user,pbx_call_capture.group_call_admin")
        cls.listener = new_test_user(
            cls.env, "pbx_listener", groups="base.group_user,pbx_call_capture.group_listen_recordings")
        cls.integration = new_test_user(cls.env, "pbx_integration", groups="pbx_call_capture.group_pbx_integration")
        cls.team.member_ids = [(6, 0, [cls.employee.id, cls.colleague.id])]
        cls.client = cls.env["res.partner"].create({
            "name": "Known client", "is_company": True, "phone": "8 (499) 123-45-67",
            "user_id": cls.colleague.id, "team_id": cls.team.id})
        cls.contact = cls.env["res.partner"].create({
            "name": "Known contact", "parent_id": cls.client.id, "mobile": "+7 926 000-11-22"})
        cls.private = cls.env["res.partner"].create({
            "name": "Private client", "is_company": True, "phone": "+7 499 999-99-99",
            "user_id": cls.colleague.id, "team_id": cls.team.id, "is_private": True})
        cls.Call = cls.env["pbx.call"].with_user(cls.integration)

    def cdr(self, uniqueid, **values):
        base = {"uniqueid": uniqueid, "src": "+74991234567", "dst": "9101", "start": "2026-11-23 10:00:00",
                "duration": 65, "billsec": 60, "disposition": "ANSWERED"}
        base.update(values)
        return base

    def test_known_client_matched_by_normalized_number(self):
        [result] = self.Call.register_calls([self.cdr("c1", src="84991234567")])
        self.assertEqual(result["status"], "created")
        call = self.env["pbx.call"].browse(result["id"])
        self.assertEqual(call.partner_id, self.client)
        self.assertEqual(call.phone_normalized, "+74991234567")
        self.assertEqual(call.user_id, self.employee)
        self.assertEqual(call.team_id, self.team)
        self.assertEqual(call.direction, "inbound")
        self.assertEqual(str(call.start), "2026-11-23 07:00:00", "Moscow time stored in UTC")
        [contact_call] = self.Call.register_calls([self.cdr("c2", src="89260001122")])
        self.assertEqual(self.env["pbx.call"].browse(contact_call["id"]).partner_id, self.contact)
        # on the client's chatter
        self.assertTrue(self.env["mail.message"].search_count([("model", "=", "res.partner"),
                                                               ("res_id", "=", self.client.id)]))

    def test_time_with_offset_and_direction_inference(self):
        [result] = self.Call.register_calls([self.cdr("c3", src="9101", dst="+7 903 111 22 33",
                                                      start="2026-11-23T10:00:00+00:00")])
        call = self.env["pbx.call"].browse(result["id"])
        self.assertEqual(call.direction, "outbound")
        self.assertEqual(str(call.start), "2026-11-23 10:00:00")
        self.assertEqual(call.user_id, self.employee)
        [internal] = self.Call.register_calls([self.cdr("c4", src="9101", dst="9102")])
        self.assertEqual(self.env["pbx.call"].browse(internal["id"]).direction, "internal")

    def test_batch_with_bad_records(self):
        results = self.Call.register_calls([
            self.cdr("ok1"),
            {"src": "+74991234567"},
            self.cdr("bad-time", start="yesterday"),
            self.cdr("bad-duration", duration=10**9),
            self.cdr("ok2"),
        ])
        self.assertEqual([r["status"] for r in results], ["created", "error", "error", "error", "created"])
        self.assertIn("uniqueid", results[1]["error"])
        logs = self.env["pbx.ingest.log"].search([("state", "=", "error")])
        self.assertEqual(len(logs), 3)
        # an admin corrects and replays
        log = logs.filtered(lambda rec: rec.uniqueid == "bad-time")
        log.raw = log.raw.replace("yesterday", "2026-11-22 12:00:00")
        log.with_user(self.admin).action_replay()
        self.assertEqual(log.state, "replayed")
        self.assertEqual(log.call_id.uniqueid, "bad-time")

    def test_duplicates_and_late_recording(self):
        first = self.Call.register_calls([self.cdr("d1")])[0]
        again = self.Call.register_calls([self.cdr("d1"), self.cdr("d1")])
        self.assertEqual([r["status"] for r in again], ["duplicate", "duplicate"])
        self.assertEqual({r["id"] for r in again}, {first["id"]})
        late = self.Call.register_calls([self.cdr("d1", recording_url="https://pbx.example/rec/d1.wav")])[0]
        self.assertEqual(late["status"], "updated")
        self.assertEqual(self.env["pbx.call"].search_count([("uniqueid", "=", "d1")]), 1)
        self.assertEqual(self.env["pbx.call"].browse(first["id"]).recording_url, "https://pbx.example/rec/d1.wav")
        # another PBX may reuse the same uniqueid
        other = self.Call.register_calls([self.cdr("d1", source="branch")])[0]
        self.assertEqual(other["status"], "created")

    def test_unknown_caller_becomes_client(self):
        [result] = self.Call.register_calls([self.cdr("u1", src="+7 903 555 66 77",
                                                      clid='"Ivan Sidorov" <+79035556677>')])
        call = self.env["pbx.call"].browse(result["id"])
        partner = call.partner_id
        self.assertTrue(partner.created_from_call)
        self.assertEqual(partner.name, "Ivan Sidorov")
        self.assertEqual(partner.user_id, self.employee)
        self.assertEqual(partner.team_id, self.team)
        self.assertEqual(partner.phone_e164, "+79035556677")
        # the next call from the same number finds the client
        [second] = self.Call.register_calls([self.cdr("u2", src="89035556677")])
        self.assertEqual(self.env["pbx.call"].browse(second["id"]).partner_id, partner)

    def test_unknown_caller_number_read_once(self):
        """The new client's phone_e164 and phone_sanitized, which the ORM
        computes again on creation, take the number as phone_validation read
        it for the call: not parsed a third time."""
        with patch.object(phonenumbers, "parse", wraps=phonenumbers.parse) as parse:
            [result] = self.Call.register_calls([self.cdr("pn1", src="+7 903 555 44 33")])
        partner = self.env["pbx.call"].browse(result["id"]).partner_id
        self.assertTrue(partner.created_from_call)
        self.assertEqual((partner.phone_e164, partner.phone_sanitized), ("+79035554433", "+79035554433"))
        self.assertLessEqual(parse.call_count, 2, "the call's number, then the client's E.164 once")
        # a number that is no phone number stays as it came on the call, and gives the client no E.164
        [result] = self.Call.register_calls([self.cdr("pn2", src="+7 12")])
        call = self.env["pbx.call"].browse(result["id"])
        self.assertEqual(call.external_number, "+7 12")
        self.assertFalse(call.partner_id.phone_e164)

    def test_unknown_caller_as_lead(self):
        self.env["ir.config_parameter"].sudo().set_param("pbx_call_capture.unknown_caller", "lead")
        [result] = self.Call.register_calls([self.cdr("l1", src="+7 903 555 00 00")])
        call = self.env["pbx.call"].browse(result["id"])
        self.assertFalse(call.partner_id)
        self.assertEqual(call.lead_id.phone, "+79035550000")
        self.assertEqual(call.lead_id.user_id, self.employee)

    def test_missed_call_creates_call_back_activity(self):
        self.Call.register_calls([self.cdr("m1", billsec=0, disposition="NO ANSWER")])
        activity = self.client.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.colleague, "the curator calls back")
        # a second missed call does not pile up activities
        self.Call.register_calls([self.cdr("m2", billsec=0, disposition="NO ANSWER")])
        self.assertEqual(len(self.client.activity_ids), 1)
        # calling back marks the missed calls
        self.Call.register_calls([self.cdr("m3", src="9101", dst="84991234567", start="2026-11-23 11:00:00")])
        self.assertTrue(all(self.env["pbx.call"].search([("uniqueid", "in", ["m1", "m2"])]).mapped("called_back")))

    def test_call_backs_cost_no_query_per_user(self):
        """The users of a batch's call-back activities follow their clients
        after one statement for the whole batch: mail.activity's create()
        finds nothing left to subscribe, so a batch whose missed calls belong
        to three curators costs no more queries than one of a single
        curator's (it cost two or three queries per user before)."""
        dept = "base.group_user,client_guard.group_scope_department"
        curators = [new_test_user(self.env, f"pbx_cb{index}", groups=dept) for index in range(4)]
        # three clients of one curator, three of three curators, three more of the one curator, and four of
        # them all to warm the caches (the first batch measured may still read what the next ones find)
        owners = [curators[0]] * 3 + curators[1:] + [curators[0]] * 3 + curators
        clients = self.env["res.partner"].create([
            {"name": f"Call-back client {index}", "is_company": True, "phone": f"+7 499 700-00-{index:02d}",
             "user_id": owner.id, "team_id": self.team.id}
            for index, owner in enumerate(owners)])

        def queries(indexes):
            before = self.env.cr.sql_log_count
            results = self.Call.register_calls([
                self.cdr(f"cb{index}", src=f"+749970000{index:02d}", billsec=0, disposition="NO ANSWER")
                for index in indexes])
            self.assertEqual({r["status"] for r in results}, {"created"})
            return self.env.cr.sql_log_count - before

        queries([9, 10, 11, 12])  # caches
        queries([0, 1, 2])
        three_curators, one_curator = queries([3, 4, 5]), queries([6, 7, 8])
        self.assertEqual(three_curators, one_curator, "no query per user of the call-backs")
        for client, owner in zip(clients, owners, strict=True):
            activity = client.activity_ids
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, owner)
            self.assertIn(owner.partner_id, client.message_partner_ids, "the curator follows the client")

    def test_visibility_follows_client(self):
        results = self.Call.register_calls([self.cdr("v1"), self.cdr("v2", src="+74999999999")])
        calls = self.env["pbx.call"].browse([r["id"] for r in results])
        self.assertEqual(self.env["pbx.call"].with_user(self.employee).search([("id", "in", calls.ids)]), calls[0])
        self.assertFalse(self.env["pbx.call"].with_user(self.outsider).search([("id", "in", calls.ids)]))
        self.assertEqual(self.env["pbx.call"].with_user(self.colleague).search([("id", "in", calls.ids)]), calls)

    def test_employee_adds_note_only(self):
        [result] = self.Call.register_calls([self.cdr("n1")])
        call = self.env["pbx.call"].browse(result["id"]).with_user(self.employee)
        call.write({"note": "Wants a quote", "reason_id": self.env.ref("pbx_call_capture.reason_order").id})
        self.assertTrue(call.has_note)
        for vals in ({"billsec": 1}, {"user_id": self.colleague.id}, {"src": "+7"}, {"start": "2020-01-01 00:00:00"}):
            with self.assertRaises(UserError):
                call.write(vals)
        self.assertEqual(call.billsec, 60)
        with self.assertRaises(UserError):
            call.with_user(self.colleague).write({"note": "not my call"})
        self.assertEqual(call.note, "Wants a quote")

    def test_only_call_admin_deletes_with_trace(self):
        [result] = self.Call.register_calls([self.cdr("x1")])
        call = self.env["pbx.call"].browse(result["id"])
        with self.assertRaises(AccessError):
            call.with_user(self.employee).unlink()
        self.assertTrue(call.exists())
        call.with_user(self.admin).unlink()
        self.assertFalse(call.exists())
        trace = self.env["pbx.call.deletion"].search([("uniqueid", "=", "x1")])
        self.assertEqual(trace.deleted_by_id, self.admin)

    def test_recording_only_for_listeners(self):
        [result] = self.Call.register_calls([self.cdr("r1", recording_url="https://pbx.example/r1.wav")])
        call = self.env["pbx.call"].browse(result["id"])
        self.assertEqual(call.with_user(self.listener).recording_url, "https://pbx.example/r1.wav")
        with self.assertRaises(AccessError):
            call.with_user(self.employee).read(["recording_url"])

    def test_integration_cannot_do_anything_else(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.integration).search_read([], ["name"], limit=1)
        with self.assertRaises(AccessError):
            self.env["pbx.call"].with_user(self.integration).search_read([], ["src"], limit=1)
        with self.assertRaises(AccessError):
            self.env["pbx.call"].with_user(self.employee).register_calls([self.cdr("z1")])
        self.assertFalse(self.env["pbx.call"].search([("uniqueid", "=", "z1")]))
