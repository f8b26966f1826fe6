import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCuratorTransferRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "RPC dept"})
        dept = "base.group_user,client_guard.group_scope_department"
        cls.leaver = new_test_user(cls.env, "ctr_leaver", groups=dept)
        cls.successor = new_test_user(cls.env, "ctr_successor", groups=dept)
        cls.hr = new_test_user(cls.env, "ctr_hr", password="ctr_hr_pw12",
                               groups="base.group_user,curator_transfer.group_transfer_manager")
        cls.sales = new_test_user(cls.env, "ctr_sales", password="ctr_sales_pw12", groups=dept)
        cls.team.member_ids = [(6, 0, [cls.leaver.id, cls.successor.id, cls.sales.id])]
        cls.clients = cls.env["res.partner"].create([
            {"name": f"RPC client {i}", "user_id": cls.leaver.id, "team_id": cls.team.id} for i in range(3)])

    def rpc(self, login, password, model, method, *args, **kwargs):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, login, password, {})
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, password, model, method, list(args), kwargs)

    def test_hr_integration_transfers_in_one_call(self):
        transfer_id = self.rpc("ctr_hr", "ctr_hr_pw12", "curator.transfer.wizard", "transfer_clients",
                               self.leaver.id, self.successor.id, reason="Offboarding")
        self.assertTrue(transfer_id)
        self.assertEqual(self.clients.user_id, self.successor)
        # the wizard itself over RPC: create then action_transfer
        wizard_id = self.rpc("ctr_hr", "ctr_hr_pw12", "curator.transfer.wizard", "create",
                             {"from_user_id": self.successor.id, "to_user_id": self.leaver.id,
                              "partner_ids": [(6, 0, self.clients[:1].ids)]})
        self.rpc("ctr_hr", "ctr_hr_pw12", "curator.transfer.wizard", "action_transfer", [wizard_id])
        self.assertEqual(self.clients[0].user_id, self.leaver)

    @mute_logger("odoo.http")
    def test_salesperson_refused_over_rpc(self):
        with self.assertRaises(xmlrpc.client.Fault):
            self.rpc("ctr_sales", "ctr_sales_pw12", "curator.transfer.wizard", "transfer_clients",
                     self.leaver.id, self.sales.id)
        with self.assertRaises(xmlrpc.client.Fault):
            self.rpc("ctr_sales", "ctr_sales_pw12", "curator.transfer", "search_read", [])
        self.assertEqual(self.clients.user_id, self.leaver)
