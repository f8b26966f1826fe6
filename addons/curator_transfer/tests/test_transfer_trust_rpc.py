"""Transfers hold across companies and departments, and a revert passes the
same checks (issue 16), over XML-RPC as the role that must not succeed."""

import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestTransferTrustRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.team_a = cls.env["crm.team"].create({"name": "Trust dept A"})
        cls.team_b = cls.env["crm.team"].create({"name": "Trust dept B"})
        cls.company2 = cls.env["res.company"].create({"name": "Trust other company"})
        dept = "base.group_user,client_guard.group_scope_department"
        cls.leaver = new_test_user(cls.env, "tt_leaver", groups=dept)
        cls.successor = new_test_user(cls.env, "tt_successor", groups=dept)
        cls.leaver_b = new_test_user(cls.env, "tt_leaver_b", groups=dept)
        cls.head = new_test_user(cls.env, "tt_head", password="tt_head_pw12",
                                 groups=f"{dept},curator_transfer.group_transfer_manager")
        cls.hr = new_test_user(cls.env, "tt_hr", password="tt_hr_pw12",
                               groups=f"{dept},curator_transfer.group_transfer_all_clients")
        cls.sysadmin = new_test_user(cls.env, "tt_admin", password="tt_admin_pw12",
                                     groups="base.group_system,curator_transfer.group_transfer_manager")
        # an internal user of another company, who sees every department
        cls.stranger = new_test_user(
            cls.env, "tt_stranger", password="tt_stranger_pw12", company_id=cls.company2.id,
            company_ids=[(6, 0, cls.company2.ids)], groups="base.group_user,client_guard.group_scope_all")
        cls.team_a.write({"user_id": cls.head.id, "member_ids": [(6, 0, [
            cls.leaver.id, cls.successor.id, cls.head.id, cls.hr.id])]})
        cls.team_b.member_ids = [(6, 0, [cls.leaver_b.id])]
        Partner = cls.env["res.partner"]
        cls.client_a = Partner.create({"name": "Trust client A", "is_company": True, "user_id": cls.leaver.id,
                                       "team_id": cls.team_a.id, "phone": "+7 495 700-00-01",
                                       "company_id": cls.env.company.id})
        cls.client_b = Partner.create({"name": "Trust client B", "is_company": True, "user_id": cls.leaver_b.id,
                                       "team_id": cls.team_b.id})
        cls.private = Partner.create({
            "name": "Trust private", "is_company": True, "user_id": cls.leaver.id, "team_id": cls.team_a.id,
            "is_private": True, "trusted_user_ids": [(6, 0, [cls.head.id, cls.successor.id])]})

    def rpc(self, login, model, method, *args, **kwargs):
        db, password = self.env.cr.dbname, f"{login}_pw12"
        uid = self.xmlrpc_common.authenticate(db, login, password, {})
        return self.xmlrpc_object.execute_kw(db, uid, password, model, method, list(args), kwargs)

    def transfers(self):
        return self.env["curator.transfer"].search_count([])

    @mute_logger("odoo.http")
    def test_successor_of_another_company_refused(self):
        count = self.transfers()
        for client in (self.client_a, self.client_b):
            with self.assertRaises(xmlrpc.client.Fault) as ctx:
                self.rpc("tt_hr", "curator.transfer.wizard", "transfer_clients", client.user_id.id,
                         self.stranger.id, partner_ids=client.ids)
            self.assertIn("does not work for", ctx.exception.faultString)
        self.assertEqual((self.client_a.user_id, self.client_b.user_id), (self.leaver, self.leaver_b))
        self.assertEqual(self.transfers(), count)

    @mute_logger("odoo.http")
    def test_client_of_a_hidden_department_refused_whatever_team_id(self):
        count = self.transfers()
        for options in ({}, {"team_id": self.team_a.id}):
            with self.assertRaises(xmlrpc.client.Fault) as ctx:
                self.rpc("tt_head", "curator.transfer.wizard", "transfer_clients", self.leaver_b.id, self.head.id,
                         partner_ids=self.client_b.ids, **options)
            self.assertIn("cannot see", ctx.exception.faultString)
        # every client of the leaver: only those the head sees are offered, so nothing here
        with self.assertRaises(xmlrpc.client.Fault):
            self.rpc("tt_head", "curator.transfer.wizard", "transfer_clients", self.leaver_b.id, self.head.id,
                     team_id=self.team_a.id)
        self.assertEqual((self.client_b.user_id, self.client_b.team_id), (self.leaver_b, self.team_b))
        self.assertEqual(self.transfers(), count)
        # control: with the right of its own, the client moves
        self.rpc("tt_hr", "curator.transfer.wizard", "transfer_clients", self.leaver_b.id, self.successor.id,
                 partner_ids=self.client_b.ids, team_id=self.team_a.id)
        self.assertEqual((self.client_b.user_id, self.client_b.team_id), (self.successor, self.team_a))

    @mute_logger("odoo.http")
    def test_revert_passes_the_transfer_checks(self):
        transfer_id = self.rpc("tt_head", "curator.transfer.wizard", "transfer_clients", self.leaver.id,
                               self.successor.id, partner_ids=self.private.ids)
        transfer = self.env["curator.transfer"].browse(transfer_id)
        self.assertEqual(self.private.user_id, self.successor)
        # the administrator does not see the private client: no revert
        with self.assertRaises(xmlrpc.client.Fault) as ctx:
            self.rpc("tt_admin", "curator.transfer", "action_revert", [transfer_id])
        self.assertIn("cannot see", ctx.exception.faultString)
        self.assertEqual((self.private.user_id, transfer.state), (self.successor, "done"))
        # to an archived former curator: refused
        self.env["ir.config_parameter"].sudo().set_param("curator_transfer.allow_archive_with_clients", "True")
        self.leaver.sudo().action_archive()
        with self.assertRaises(xmlrpc.client.Fault) as ctx:
            self.rpc("tt_head", "curator.transfer", "action_revert", [transfer_id])
        self.assertIn("archived", ctx.exception.faultString)
        self.assertEqual((self.private.user_id, transfer.state), (self.successor, "done"))
        # control: the trusted head reverts to an active former curator
        self.leaver.sudo().action_unarchive()
        self.rpc("tt_head", "curator.transfer", "action_revert", [transfer_id])
        self.assertEqual((self.private.user_id, transfer.state), (self.leaver, "reverted"))

    def test_bulk_key_does_not_skip_the_contacts_sync(self):
        """curator_transfer_bulk in the caller's context no longer reaches the
        transfer's shortcut (a server flag): a company's contacts follow it."""
        contact = self.env["res.partner"].create({"name": "Trust contact", "parent_id": self.client_a.id})
        self.rpc("tt_head", "res.partner", "write", self.client_a.ids, {"user_id": self.successor.id},
                 context={"curator_transfer_bulk": True, "tracking_disable": True})
        self.assertEqual((self.client_a.user_id, contact.user_id), (self.successor, self.successor))
