import json

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestExfiltrationHttp(HttpCase):
    """The counter through the web client's path: /web/dataset/call_kw runs
    read methods on a read-only cursor, and over XML-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, "ex_http", password="ex_http_pw",
                                 groups="base.group_user,client_guard.group_scope_own")
        cls.clients = cls.env["res.partner"].create([
            {"name": f"HTTP exfiltration client {i}", "user_id": cls.user.id, "phone": f"+7 495 111-22-{i:02d}"}
            for i in range(6)
        ])
        cls.env.ref("client_guard_exfiltration.threshold_scope_own").write(
            {"window_minutes": 60, "alert_count": 3, "block_count": 4})

    def call_kw(self, method, args, kwargs=None):
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "model": "res.partner", "method": method, "args": args, "kwargs": kwargs or {}}}
        response = self.url_open(f"/web/dataset/call_kw/res.partner/{method}", data=json.dumps(payload),
                                 headers={"Content-Type": "application/json"})
        return response.json()

    def marked(self):
        self.env["client_guard.exfiltration.mark"].invalidate_model()
        return self.env["client_guard.exfiltration.mark"].search([("user_id", "=", self.user.id)]).partner_id

    @mute_logger("odoo.http", "odoo.sql_db", "odoo.addons.client_guard.models.client_guard_security_event")
    def test_json_rpc_list_counts_and_blocks(self):
        self.authenticate("ex_http", "ex_http_pw")
        spec = {"display_name": {}, "phone": {}}
        reply = self.call_kw("web_search_read", [[("id", "in", self.clients[:2].ids)], spec], {"limit": 80})
        self.assertEqual(reply["result"]["length"], 2)
        self.assertEqual(self.marked(), self.clients[:2])
        # the form view (web_read) counts too; the autocomplete does not
        reply = self.call_kw("web_read", [self.clients[2:3].ids, spec])
        self.assertEqual(reply["result"][0]["phone"], self.clients[2].phone)
        self.call_kw("name_search", [], {"name": "HTTP exfiltration", "limit": 8})
        self.assertEqual(self.marked(), self.clients[:3])
        # above the blocking threshold the list is refused
        reply = self.call_kw("web_search_read", [[("id", "in", self.clients.ids)], spec], {"limit": 80})
        self.assertIn("error", reply)
        self.assertIn("security officer", reply["error"]["data"]["message"])
        self.assertNotIn(self.clients[5].phone, json.dumps(reply))
        # (the alert written with the refusal is rolled back with the test's single cursor; in
        # production it has its own transaction: tests/test_exfiltration_live.py checks it)

    @mute_logger("odoo.http", "odoo.addons.client_guard.models.client_guard_security_event")
    def test_xml_rpc_read_counts(self):
        rows = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, self.user.id, "ex_http_pw", "res.partner", "search_read",
            [[("id", "in", self.clients[:3].ids)]], {"fields": ["name", "phone"]})
        self.assertEqual(len(rows), 3)
        self.assertEqual(self.marked(), self.clients[:3])
