"""Notes and shifts that the caller cannot talk round (issue 16), over XML-RPC
as the role that must not succeed."""

import xmlrpc.client
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestShiftTrustRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"shift_min_call_duration": 30, "shift_min_note_length": 10,
                               "shift_require_reason": False, "shift_count_missed": False})
        cls.team = cls.env["crm.team"].create({"name": "Trust shift dept"})
        dept = "base.group_user,client_guard.group_scope_department"
        cls.employee = new_test_user(cls.env, "st_emp", password="st_emp_pw12", groups=dept, tz="UTC")
        cls.colleague = new_test_user(cls.env, "st_col", password="st_col_pw12", groups=dept, tz="UTC")
        cls.head = new_test_user(cls.env, "st_head", password="st_head_pw12", groups=dept, tz="UTC")
        cls.officer = new_test_user(cls.env, "st_off", password="st_off_pw12",
                                    groups="base.group_user,client_guard.group_security_officer", tz="UTC")
        cls.employee.pbx_extension = "8731"
        cls.colleague.pbx_extension = "8732"
        cls.head.pbx_extension = "8733"
        # the head is a member of the department he leads
        cls.team.write({"user_id": cls.head.id,
                        "member_ids": [(6, 0, [cls.employee.id, cls.colleague.id, cls.head.id])]})
        Shift = cls.env["work.shift"]
        cls.shift = Shift._ensure_open(cls.employee)
        cls.colleague_shift = Shift._ensure_open(cls.colleague)
        cls.head_shift = Shift._ensure_open(cls.head)
        (cls.shift | cls.colleague_shift | cls.head_shift).write(
            {"date_start": fields.Datetime.now() - timedelta(hours=2)})

    def push(self, uniqueid, extension, number="+74995550731"):
        [result] = self.env["pbx.call"].sudo()._register_calls([{
            "uniqueid": uniqueid, "src": number, "dst": extension, "duration": 90, "billsec": 80,
            "disposition": "ANSWERED",
            "start": fields.Datetime.to_string(fields.Datetime.now() - timedelta(minutes=30)) + "+00:00"}])
        return self.env["pbx.call"].browse(result["id"])

    def call(self, login, model, method, *args):
        db, password = self.env.cr.dbname, f"{login}_pw12"
        uid = self.xmlrpc_common.authenticate(db, login, password, {})
        return self.xmlrpc_object.execute_kw(db, uid, password, model, method, list(args))

    @mute_logger("odoo.http")
    def test_zero_width_note_is_no_note(self):
        call = self.push("st-zw", "8731")
        for blank in ("\u200b" * 12, "\u200c\u200d\u2060\ufeff" * 4, "\u3164" * 12, "\u00a0\u2003" * 6):
            self.call("st_emp", "pbx.call", "write", [call.id], {"note": blank})
            self.assertFalse(call.has_note)
            with self.assertRaises(xmlrpc.client.Fault) as ctx:
                self.call("st_emp", "work.shift", "action_close", [self.shift.id])
            self.assertIn("need notes", ctx.exception.faultString)
            self.assertEqual(self.shift.state, "open")
        # eight visible characters among zero-width ones: too short for the minimum of ten
        self.call("st_emp", "pbx.call", "write", [call.id], {"note": "\u200bok\u200b" * 4})
        with self.assertRaises(xmlrpc.client.Fault):
            self.call("st_emp", "work.shift", "action_close", [self.shift.id])
        self.call("st_emp", "pbx.call", "write", [call.id], {"note": "Client wants a callback on Monday"})
        self.call("st_emp", "work.shift", "action_close", [self.shift.id])
        self.assertEqual(self.shift.state, "closed")

    @mute_logger("odoo.http")
    def test_note_of_a_closed_shift_can_only_grow(self):
        call = self.push("st-erase", "8731")
        note = "Discussed the contract renewal"
        self.call("st_emp", "pbx.call", "write", [call.id], {"note": note})
        self.call("st_emp", "work.shift", "action_close", [self.shift.id])
        self.assertEqual(self.shift.state, "closed")
        for erased in (False, "", "\u200b" * 40, "Discussed", "Something else entirely, and much longer"):
            with self.assertRaises(xmlrpc.client.Fault) as ctx:
                self.call("st_emp", "pbx.call", "write", [call.id], {"note": erased})
            self.assertIn("can be added to", ctx.exception.faultString)
            self.assertEqual(call.note, note)
        # nor the officer, who may delete calls (with a trace) but not blank their notes
        with self.assertRaises(xmlrpc.client.Fault):
            self.call("st_off", "pbx.call", "write", [call.id], {"note": False})
        self.assertEqual(call.note, note)
        # adding is fine
        self.call("st_emp", "pbx.call", "write", [call.id], {"note": note + ". Sent the draft."})
        self.assertEqual(call.note, note + ". Sent the draft.")
        # a call of an open shift keeps its free editing
        later = self.env["work.shift"]._ensure_open(self.employee)
        self.assertEqual(later.state, "open")
        fresh = self.push("st-erase-2", "8731")
        fresh.sudo().start = fields.Datetime.now() + timedelta(minutes=1)
        self.call("st_emp", "pbx.call", "write", [fresh.id], {"note": "draft"})
        self.call("st_emp", "pbx.call", "write", [fresh.id], {"note": False})
        self.assertFalse(fresh.note)

    @mute_logger("odoo.http")
    def test_nobody_force_closes_their_own_shift(self):
        self.push("st-head", "8733")
        with self.assertRaises(xmlrpc.client.Fault) as ctx:
            self.call("st_head", "work.shift", "action_force_close", [self.head_shift.id], "Going home")
        self.assertIn("their own shift", ctx.exception.faultString)
        self.assertEqual(self.head_shift.state, "open")
        # through the wizard alike
        wizard_id = self.call("st_head", "work.shift.force.close.wizard", "create",
                              {"shift_id": self.head_shift.id, "reason": "Going home"})
        with self.assertRaises(xmlrpc.client.Fault):
            self.call("st_head", "work.shift.force.close.wizard", "action_confirm", [wizard_id])
        self.assertEqual(self.head_shift.state, "open")
        # nor an officer their own
        officer_shift = self.env["work.shift"]._ensure_open(self.officer)
        with self.assertRaises(xmlrpc.client.Fault):
            self.call("st_off", "work.shift", "action_force_close", [officer_shift.id], "Audit")
        self.assertEqual(officer_shift.state, "open")
        # control: the head force-closes an employee's shift
        self.call("st_head", "work.shift", "action_force_close", [self.shift.id], "Went home ill")
        self.assertEqual(self.shift.state, "force_closed")

    @mute_logger("odoo.http")
    def test_close_wizard_lines_only_from_the_shift(self):
        own = self.push("st-own", "8731", "+74995550741")
        theirs = self.push("st-theirs", "8732", "+74995550742")
        Line = self.env["work.shift.close.wizard.line"]
        before = Line.search_count([])
        with self.assertRaises(xmlrpc.client.Fault) as ctx:
            self.call("st_emp", "work.shift.close.wizard", "create", {
                "shift_id": self.shift.id, "line_ids": [(0, 0, {"call_id": theirs.id})]})
        self.assertIn("other calls cannot be added", ctx.exception.faultString)
        self.assertNotIn("+74995550742", ctx.exception.faultString)
        # nor added to a wizard of one's own afterwards
        wizard_id = self.call("st_emp", "work.shift.close.wizard", "create", {
            "shift_id": self.shift.id, "line_ids": [(0, 0, {"call_id": own.id})]})
        with self.assertRaises(xmlrpc.client.Fault):
            self.call("st_emp", "work.shift.close.wizard.line", "create",
                      {"wizard_id": wizard_id, "call_id": theirs.id})
        with self.assertRaises(xmlrpc.client.Fault):
            self.call("st_emp", "work.shift.close.wizard", "write", [wizard_id],
                      {"line_ids": [(0, 0, {"call_id": theirs.id})]})
        # nor a wizard on the colleague's shift
        with self.assertRaises(xmlrpc.client.Fault):
            self.call("st_emp", "work.shift.close.wizard", "create", {"shift_id": self.colleague_shift.id})
        self.assertEqual(Line.search_count([]), before + 1)
        self.assertEqual(Line.search([("call_id", "=", theirs.id)]).ids, [])
        lines = self.call("st_emp", "work.shift.close.wizard.line", "search_read",
                          [("wizard_id", "=", wizard_id)], ["external_number"])
        self.assertEqual([line["external_number"] for line in lines], ["+7 499 555-07-41"])
