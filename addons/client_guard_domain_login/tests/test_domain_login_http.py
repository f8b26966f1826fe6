import json
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools import config

from .common import DomainCase


@tagged("post_install", "-at_install")
class TestDomainLoginHttp(HttpCase, DomainCase):
    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param("client_guard_domain_login.proxy_addresses", "127.0.0.1")

    def session_uid(self, headers=None):
        response = self.url_open("/web/session/get_session_info", data="{}",
                                 headers={"Content-Type": "application/json", **(headers or {})})
        result = response.json()
        return (result.get("result") or {}).get("uid"), result.get("error")

    def test_header_from_trusted_proxy_signs_in(self):
        response = self.url_open("/client_guard/sso", headers={"X-Remote-User": "dom.ivan@EXAMPLE.TEST"},
                                 allow_redirects=False)
        self.assertEqual(response.status_code, 303, response.text[:500])
        user = self.env["res.users"].search([("login", "=", "dom.ivan")])
        self.assertTrue(user)
        self.assertEqual(self.session_uid()[0], user.id)
        self.assertTrue(self.events("domain_login").filtered(lambda e: "Kerberos" in e.details))

    def test_header_from_other_address_refused(self):
        self.env["ir.config_parameter"].sudo().set_param("client_guard_domain_login.proxy_addresses", "10.9.8.7")
        response = self.url_open("/client_guard/sso", headers={"X-Remote-User": "dom.ivan@EXAMPLE.TEST"},
                                 allow_redirects=False)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.env["res.users"].search([("login", "=", "dom.ivan")]))
        self.assertFalse(self.session_uid()[0])
        self.assertTrue(self.events("domain_refused").filtered(lambda e: "127.0.0.1" in e.details))

    def test_realm_and_disabled_account_refused(self):
        self.env["ir.config_parameter"].sudo().set_param("client_guard_domain_login.realms", "EXAMPLE.TEST")
        response = self.url_open("/client_guard/sso", headers={"X-Remote-User": "dom.ivan@OTHER.TEST"},
                                 allow_redirects=False)
        self.assertEqual(response.status_code, 403)
        self.slapd.disable("dom.olga")
        response = self.url_open("/client_guard/sso", headers={"X-Remote-User": "dom.olga@EXAMPLE.TEST"},
                                 allow_redirects=False)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.env["res.users"].search([("login", "in", ["dom.ivan", "dom.olga"])]))

    def test_disabled_account_loses_its_session_at_next_request(self):
        self.authenticate("dom.ivan", "ivan-pass-1")
        user = self.env["res.users"].search([("login", "=", "dom.ivan")])
        self.assertEqual(self.session_uid()[0], user.id)
        self.slapd.disable("dom.ivan")
        # a read/write request (in tests, read-only requests cannot store the security log)
        response = self.url_open("/web/dataset/call_kw/res.partner/write", headers={"Content-Type": "application/json"},
                                 data=json.dumps({"params": {"model": "res.partner", "method": "write",
                                                             "args": [[user.partner_id.id], {}], "kwargs": {}}}))
        self.assertIn("SessionExpired", str(response.json().get("error")))
        self.assertFalse(self.session_uid()[0])
        self.assertTrue(self.events("domain_refused").filtered(lambda e: e.user_id == user))

    def test_trusted_networks_apply_to_the_real_client_address(self):
        """Behind the proxy (proxy_mode), the proxy is checked on the address of
        the connection and the user's trusted networks on the forwarded one."""
        self.url_open("/client_guard/sso", headers={"X-Remote-User": "dom.ivan@EXAMPLE.TEST"}, allow_redirects=False)
        user = self.env["res.users"].search([("login", "=", "dom.ivan")])
        self.env["res.users.trusted.network"].create({"user_id": user.id, "network": "10.20.0.0/16"})
        self.env.registry.clear_cache()
        self.url_open("/web/session/logout", allow_redirects=False)
        forwarded = {"X-Remote-User": "dom.ivan@EXAMPLE.TEST", "X-Forwarded-Host": "crm.example.test",
                     "X-Forwarded-Proto": "http"}
        with patch.dict(config.options, {"proxy_mode": True}):
            outside = self.url_open("/client_guard/sso", allow_redirects=False,
                                    headers={**forwarded, "X-Forwarded-For": "192.0.2.7"})
            self.assertEqual(outside.status_code, 403)
            self.assertFalse(self.session_uid()[0])
            inside = self.url_open("/client_guard/sso", allow_redirects=False,
                                   headers={**forwarded, "X-Forwarded-For": "10.20.3.4"})
            self.assertEqual(inside.status_code, 303, inside.text[:300])
            inside_headers = {**forwarded, "X-Forwarded-For": "10.20.3.4"}
            del inside_headers["X-Remote-User"]
            self.assertEqual(self.session_uid(inside_headers)[0], user.id)
