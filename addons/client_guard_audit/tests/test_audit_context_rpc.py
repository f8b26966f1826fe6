"""The audit cannot be turned off or misled by the caller's context (issue 16):
the context keys that used to be internal shortcuts are sent over XML-RPC
and JSON-RPC as any user can, and the audit lines are there all the same."""

import base64
import json
import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

# every key a caller could try to loosen the audit with
FORGED = {
    "client_guard_audit_skip": True,
    "client_guard_audit_path": "system",
    "client_guard_audit_internal": True,
    "import_file": True,
    "curator_transfer_bulk": True,
    "tracking_disable": True,
    "mail_notrack": True,
}


@tagged("post_install", "-at_install")
class TestAuditContextRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "Audit context dept"})
        cls.user = new_test_user(cls.env, "au_ctx", password="au_ctx_pw12",
                                 groups="base.group_user,client_guard.group_scope_own")
        cls.other = new_test_user(cls.env, "au_ctx_other", password="au_ctx_other_pw12",
                                  groups="base.group_user,client_guard.group_scope_own")
        cls.head = new_test_user(
            cls.env, "au_ctx_head", password="au_ctx_head_pw12",
            groups="base.group_user,client_guard.group_scope_department,client_guard.group_manage_curators")
        cls.sysadmin = new_test_user(cls.env, "au_ctx_admin", password="au_ctx_admin_pw12",
                                     groups="base.group_system,client_guard.group_security_officer")
        cls.team.member_ids = [(6, 0, [cls.user.id, cls.other.id, cls.head.id])]
        cls.client = cls.env["res.partner"].create({
            "name": "Context audited client", "is_company": True, "user_id": cls.user.id, "team_id": cls.team.id})
        cls.env.flush_all()
        cls.env.cr.flush()

    def call(self, login, model, method, args, kwargs=None, context=None):
        db, password = self.env.cr.dbname, f"{login}_pw12"
        uid = self.xmlrpc_common.authenticate(db, login, password, {})
        return self.xmlrpc_object.execute_kw(db, uid, password, model, method, args,
                                             dict(kwargs or {}, context=FORGED if context is None else context))

    def logs(self, **domain):
        return self.env["client_guard.audit.log"].search([(k, "=", v) for k, v in domain.items()])

    def test_skip_and_path_keys_do_not_hide_a_change(self):
        self.call("au_ctx", "res.partner", "write", [[self.client.id], {"vat": "7701000001"}])
        log = self.logs(model="res.partner", res_id=self.client.id, field_name="vat")
        self.assertEqual(len(log), 1)
        self.assertEqual((log.path, log.user_id, log.new_value), ("rpc", self.user, "7701000001"))

    def test_skip_key_does_not_hide_a_curator_change(self):
        self.call("au_ctx_head", "res.partner", "write", [[self.client.id], {"user_id": self.other.id}])
        log = self.logs(model="res.partner", res_id=self.client.id, field_name="user_id")
        self.assertEqual((len(log), log.path, log.user_id), (1, "rpc", self.head))

    def test_skip_key_does_not_hide_deleted_attachment_and_message(self):
        attachment_id = self.call("au_ctx", "ir.attachment", "create", [{
            "name": "evidence.txt", "res_model": "res.partner", "res_id": self.client.id,
            "datas": base64.b64encode(b"compromising").decode()}])
        self.call("au_ctx", "ir.attachment", "unlink", [[attachment_id]])
        tomb = self.logs(operation="attachment_deleted", res_id=self.client.id)
        self.assertEqual((len(tomb), tomb.user_id, tomb.old_value), (1, self.user, "evidence.txt"))
        self.assertEqual(tomb.path, "rpc")

        message_id = self.call("au_ctx", "res.partner", "message_post", [[self.client.id]],
                               {"body": "Agreed off the books", "message_type": "comment"})
        # the web client's "delete" empties the message, with the forged context
        self.authenticate("au_ctx", "au_ctx_pw12")
        response = self.url_open("/mail/message/update_content", data=json.dumps({
            "jsonrpc": "2.0", "method": "call", "params": {
                "message_id": message_id, "body": "", "attachment_ids": [], "context": FORGED}}),
            headers={"Content-Type": "application/json"})
        self.assertNotIn("error", response.json())
        tomb = self.logs(operation="message_deleted", res_id=self.client.id)
        self.assertEqual(len(tomb), 1)
        self.assertIn("Agreed off the books", tomb.old_value)
        self.assertEqual(tomb.path, "form")

    def test_web_client_path_cannot_be_forged(self):
        self.authenticate("au_ctx", "au_ctx_pw12")
        response = self.url_open("/web/dataset/call_kw/res.partner/web_save", data=json.dumps({
            "jsonrpc": "2.0", "method": "call", "params": {
                "model": "res.partner", "method": "web_save",
                "args": [[self.client.id], {"street": "Tverskaya 1"}],
                "kwargs": {"specification": {"street": {}}, "context": FORGED}}}),
            headers={"Content-Type": "application/json"})
        self.assertNotIn("error", response.json())
        log = self.logs(model="res.partner", res_id=self.client.id, field_name="street")
        self.assertEqual((len(log), log.path), (1, "form"))

    @mute_logger("odoo.http")
    def test_internal_key_does_not_open_the_log(self):
        count = self.env["client_guard.audit.log"].search_count([])
        with self.assertRaises(xmlrpc.client.Fault) as ctx:
            self.call("au_ctx_admin", "client_guard.audit.log", "create", [{
                "model": "res.partner", "res_id": self.client.id, "operation": "write", "path": "system",
                "res_name": "forged"}])
        self.assertIn("cannot be added by hand", ctx.exception.faultString)
        self.assertEqual(self.env["client_guard.audit.log"].search_count([]), count)

    def test_call_note_changes_are_audited(self):
        self.user.pbx_extension = "8741"
        [result] = self.env["pbx.call"].sudo()._register_calls([{
            "uniqueid": "au-ctx-note", "src": "+74995550841", "dst": "8741", "duration": 90, "billsec": 80,
            "disposition": "ANSWERED", "start": "2026-11-23 09:00:00"}])
        call = self.env["pbx.call"].browse(result["id"])
        self.call("au_ctx", "pbx.call", "write", [[call.id], {"note": "Wants a discount"}])
        self.call("au_ctx", "pbx.call", "write", [[call.id], {"note": "Wants a discount. Offered 5%"}])
        logs = self.logs(model="pbx.call", res_id=call.id, field_name="note")
        self.assertEqual(len(logs), 2)
        self.assertEqual(set(logs.mapped("path")), {"rpc"})
        self.assertEqual(logs.user_id, self.user)
        self.assertIn(("Wants a discount", "Wants a discount. Offered 5%"),
                      [(log.old_value, log.new_value) for log in logs])
