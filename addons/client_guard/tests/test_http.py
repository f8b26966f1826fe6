import json
import xmlrpc.client

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestClientGuardHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "HTTP team"})
        cls.user = new_test_user(
            cls.env, "cg_http", password="cg_http_pw", groups="base.group_user,client_guard.group_scope_department")
        cls.team.member_ids = [(6, 0, [cls.user.id])]
        cls.clients = cls.env["res.partner"].create([
            {"name": f"HTTP client {i}", "user_id": cls.user.id, "team_id": cls.team.id} for i in range(3)
        ])

    def _rpc(self, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, self.user.id, "cg_http_pw", model, method, list(args), kwargs)

    @mute_logger("odoo.http")
    def test_export_data_rpc_refused(self):
        with self.assertRaises(Exception) as ctx:
            self._rpc("res.partner", "export_data", self.clients.ids, ["name", "phone"])
        self.assertIn("export", str(ctx.exception).lower())

    @mute_logger("odoo.http", "odoo.addons.web.controllers.export")
    def test_export_routes_refused(self):
        self.authenticate("cg_http", "cg_http_pw")
        data = json.dumps({
            "model": "res.partner", "fields": [{"name": "name", "label": "Name"}],
            "ids": self.clients.ids, "domain": [], "import_compat": False,
        })
        for route in ("/web/export/xlsx", "/web/export/csv"):
            response = self.url_open(route, data={"data": data, "csrf_token": http.Request.csrf_token(self)})
            self.assertNotIn("HTTP client 0", response.text)
            self.assertNotEqual(response.headers.get("Content-Disposition", "")[:10], "attachment")

    @mute_logger("odoo.http")
    def test_export_allowed_with_group(self):
        self.user.groups_id = [(4, self.env.ref("base.group_allow_export").id)]
        result = self._rpc("res.partner", "export_data", self.clients[:1].ids, ["name"])
        self.assertEqual(result["datas"], [["HTTP client 0"]])

    @mute_logger("odoo.http")
    def test_mass_write_rpc_refused(self):
        with self.assertRaises(Exception) as ctx:
            self._rpc("res.partner", "write", self.clients.ids, {"street": "Mass"})
        self.assertIn("one client at a time", str(ctx.exception))
        self.assertFalse(any(self.clients.mapped("street")))
        self._rpc("res.partner", "write", self.clients[:1].ids, {"street": "One"})
        self.assertEqual(self.clients[0].street, "One")

    @mute_logger("odoo.http", "odoo.addons.client_guard.models.client_guard_security_event")
    def test_trusted_networks(self):
        # no list: no limit
        self.assertTrue(self.xmlrpc_common.authenticate(self.env.cr.dbname, "cg_http", "cg_http_pw", {}))
        # a list that excludes this machine: login and RPC refused
        self.env["res.users.trusted.network"].create({"user_id": self.user.id, "network": "10.99.0.0/16"})
        self.assertFalse(self.xmlrpc_common.authenticate(self.env.cr.dbname, "cg_http", "cg_http_pw", {}))
        with self.assertRaises(xmlrpc.client.Fault):
            self._rpc("res.partner", "search", [])
        # a list that includes loopback: allowed again
        self.env["res.users.trusted.network"].create({"user_id": self.user.id, "network": "127.0.0.0/8"})
        self.assertTrue(self.xmlrpc_common.authenticate(self.env.cr.dbname, "cg_http", "cg_http_pw", {}))

    @mute_logger("odoo.http", "odoo.addons.client_guard.models.client_guard_security_event")
    def test_session_ended_from_untrusted_network(self):
        self.authenticate("cg_http", "cg_http_pw")
        response = self.url_open("/web/session/get_session_info", data="{}",
                                 headers={"Content-Type": "application/json"})
        self.assertEqual(response.json()["result"]["uid"], self.user.id)
        self.env["res.users.trusted.network"].create({"user_id": self.user.id, "network": "10.99.0.0/16"})
        response = self.url_open("/web/session/get_session_info", data="{}",
                                 headers={"Content-Type": "application/json"})
        self.assertIn("error", response.json())
        self.assertNotIn("result", response.json())
