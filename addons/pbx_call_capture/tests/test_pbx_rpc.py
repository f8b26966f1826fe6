import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPbxRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.integration = new_test_user(cls.env, "pbx_rpc", password="pbx_rpc_pw1",
                                        groups="pbx_call_capture.group_pbx_integration")
        cls.partner = cls.env["res.partner"].create({"name": "RPC caller", "phone": "+7 495 700-00-01"})

    def rpc(self, model, method, *args, **kwargs):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, "pbx_rpc", "pbx_rpc_pw1", {})
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, "pbx_rpc_pw1", model, method, list(args),
                                             kwargs)

    def test_push_batch_over_xmlrpc(self):
        calls = [{"uniqueid": f"rpc.{i}", "src": "+74957000001", "dst": "555", "start": "2026-11-23 09:00:00",
                  "duration": 10, "billsec": 5, "disposition": "ANSWERED"} for i in range(3)]
        calls.append({"uniqueid": "rpc.bad", "start": "not a date"})
        results = self.rpc("pbx.call", "register_calls", calls)
        self.assertEqual([r["status"] for r in results], ["created"] * 3 + ["error"])
        self.assertEqual(self.env["pbx.call"].search_count([("partner_id", "=", self.partner.id)]), 3)
        again = self.rpc("pbx.call", "register_calls", calls[:1])
        self.assertEqual(again[0]["status"], "duplicate")

    @mute_logger("odoo.http")
    def test_integration_user_has_no_other_right(self):
        for model, method, args in (("res.partner", "search_read", [[]]), ("pbx.call", "search_read", [[]]),
                                    ("crm.lead", "search_read", [[]]), ("pbx.call", "unlink", [[1]])):
            with self.assertRaises(xmlrpc.client.Fault, msg=f"{model}.{method}"):
                self.rpc(model, method, *args)

    @mute_logger("odoo.http")
    def test_administrator_cannot_push_calls(self):
        """register_calls is the integration's only: not an administrator's (issue 16)."""
        new_test_user(self.env, "pbx_rpc_admin", password="pbx_rpc_admin_pw1",
                      groups="base.group_system,pbx_call_capture.group_call_admin")
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, "pbx_rpc_admin", "pbx_rpc_admin_pw1", {})
        count = self.env["pbx.call"].search_count([])
        with self.assertRaises(xmlrpc.client.Fault) as ctx:
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname, uid, "pbx_rpc_admin_pw1", "pbx.call", "register_calls",
                [[{"uniqueid": "rpc.admin", "src": "+74957000001", "dst": "555", "start": "2026-11-23 09:00:00",
                   "duration": 10, "billsec": 5, "disposition": "ANSWERED"}]])
        self.assertIn("Only the PBX integration user", ctx.exception.faultString)
        self.assertEqual(self.env["pbx.call"].search_count([]), count)
