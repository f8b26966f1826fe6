import xmlrpc.client
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestShiftRpc(HttpCase):
    def test_first_login_opens_the_shift(self):
        user = new_test_user(self.env, "sh_login", password="sh_login_pw1", groups="base.group_user")
        self.assertFalse(self.env["work.shift"].search([("user_id", "=", user.id)]))
        self.assertTrue(self.xmlrpc_common.authenticate(self.env.cr.dbname, "sh_login", "sh_login_pw1", {}))
        self.assertEqual(self.env["work.shift"].search_count([("user_id", "=", user.id), ("state", "=", "open")]), 1)
        # a second login the same day keeps the same shift
        self.xmlrpc_common.authenticate(self.env.cr.dbname, "sh_login", "sh_login_pw1", {})
        self.assertEqual(self.env["work.shift"].search_count([("user_id", "=", user.id)]), 1)

    @mute_logger("odoo.http")
    def test_close_refused_over_rpc(self):
        user = new_test_user(self.env, "sh_rpc", password="sh_rpc_pw12", groups="base.group_user")
        user.pbx_extension = "8877"
        shift = self.env["work.shift"]._ensure_open(user)
        shift.date_start = fields.Datetime.now() - timedelta(hours=1)
        self.env["pbx.call"].sudo()._register_calls([{
            "uniqueid": "rpc-shift", "src": "+74990000077", "dst": "8877", "duration": 100, "billsec": 90,
            "start": fields.Datetime.to_string(fields.Datetime.now() - timedelta(minutes=5)) + "+00:00"}])
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, "sh_rpc", "sh_rpc_pw12", {})
        with self.assertRaises(xmlrpc.client.Fault) as ctx:
            self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, "sh_rpc_pw12", "work.shift", "action_close",
                                          [[shift.id]])
        self.assertIn("need notes", ctx.exception.faultString)
        self.assertEqual(shift.state, "open")
