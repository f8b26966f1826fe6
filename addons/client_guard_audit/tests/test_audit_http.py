import json
import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAuditPaths(HttpCase):
    """Changes through the web client and over XML-RPC are logged with their path."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, "au_http", password="au_http_pw1",
                                 groups="base.group_user,client_guard.group_scope_own")
        cls.client = cls.env["res.partner"].create({
            "name": "HTTP audited client", "is_company": True, "user_id": cls.user.id})

    def last_log(self, fname):
        return self.env["client_guard.audit.log"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.client.id), ("field_name", "=", fname)], limit=1)

    def test_xmlrpc_path(self):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, "au_http", "au_http_pw1", {})
        self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, "au_http_pw1", "res.partner", "write",
                                      [[self.client.id], {"phone": "+7 495 123-00-00"}])
        log = self.last_log("phone")
        self.assertEqual((log.path, log.user_id, log.new_value), ("rpc", self.user, "+7 495 123-00-00"))
        self.assertTrue(log.ip_address)
        with self.assertRaises(xmlrpc.client.Fault):  # and the log stays out of reach
            self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, "au_http_pw1", "client_guard.audit.log",
                                          "search_read", [[]])

    def test_web_client_path(self):
        self.authenticate("au_http", "au_http_pw1")
        response = self.url_open(
            "/web/dataset/call_kw/res.partner/web_save",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
                "model": "res.partner", "method": "web_save",
                "args": [[self.client.id], {"mobile": "+7 916 000-00-00"}],
                "kwargs": {"specification": {"mobile": {}}}}}),
            headers={"Content-Type": "application/json"},
        )
        self.assertNotIn("error", response.json())
        log = self.last_log("mobile")
        self.assertEqual((log.path, log.user_id), ("form", self.user))
