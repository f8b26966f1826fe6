"""register_calls over real XML-RPC and JSON-RPC: bad records come back as
per-record errors, never as a server error that sinks the batch."""

import json

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRegisterCallsHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.integration = new_test_user(cls.env, "pbx_http", password="pbx_http_pw1",
                                        groups="pbx_call_capture.group_pbx_integration")

    def cdr(self, uniqueid, **values):
        return dict({"uniqueid": uniqueid, "src": "+74957000002", "dst": "555", "start": "2026-11-23 09:00:00",
                     "duration": 10, "billsec": 5, "disposition": "ANSWERED", "source": "http"}, **values)

    def jsonrpc(self, calls):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, "pbx_http", "pbx_http_pw1", {})
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "service": "object", "method": "execute_kw",
            "args": [self.env.cr.dbname, uid, "pbx_http_pw1", "pbx.call", "register_calls", [calls]]}}
        response = self.url_open("/jsonrpc", data=json.dumps(payload),
                                 headers={"Content-Type": "application/json"})
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertNotIn("error", body, body.get("error"))
        return body["result"]

    def test_jsonrpc_bad_records(self):
        results = self.jsonrpc([
            self.cdr("j.ok"),
            self.cdr("j.nul", clid="Acme\u0000"),
            self.cdr("j.dict", recording_url={"url": "x"}),
            self.cdr("j.inf", duration="inf"),
            self.cdr("j.type", disposition=7),
            dict(self.cdr("j.ok2"), uniqueid=2**62),
        ])
        self.assertEqual([r["status"] for r in results], ["created", "error", "error", "error", "error", "created"])
        self.assertEqual(self.env["pbx.ingest.log"].search_count([("uniqueid", "in", ["j.nul", "j.dict"])]), 2)
        self.assertEqual(self.env["pbx.call"].search_count([("source", "=", "http")]), 2)

    def test_xmlrpc_number_too_large(self):
        """A number beyond XML-RPC's 32-bit integers (sent as <i8> by some PBX
        clients) in the batch: the answer is still valid XML-RPC."""
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, "pbx_http", "pbx_http_pw1", {})
        struct = "".join(
            f"<member><name>{k}</name><value><string>{v}</string></value></member>"
            for k, v in self.cdr("x.big").items() if k != "uniqueid")
        body = f"""<?xml version="1.0"?><methodCall><methodName>execute_kw</methodName><params>
<param><value><string>{self.env.cr.dbname}</string></value></param>
<param><value><int>{uid}</int></value></param>
<param><value><string>pbx_http_pw1</string></value></param>
<param><value><string>pbx.call</string></value></param>
<param><value><string>register_calls</string></value></param>
<param><value><array><data><value><array><data>
<value><struct>{struct}<member><name>uniqueid</name><value><i8>99999999999</i8></value></member></struct></value>
<value><struct>{struct}<member><name>uniqueid</name><value><string>x.huge</string></value></member>
<member><name>duration</name><value><i8>99999999999999</i8></value></member></struct></value>
</data></array></value></data></array></value></param>
</params></methodCall>"""
        response = self.url_open("/xmlrpc/2/object", data=body.encode(), headers={"Content-Type": "text/xml"})
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("<fault>", response.text)
        self.assertIn("99999999999", response.text)
        self.assertEqual(self.env["pbx.call"].search_count([("uniqueid", "=", "99999999999")]), 1)
        self.assertEqual(self.env["pbx.ingest.log"].search_count([("uniqueid", "=", "x.huge")]), 1)
