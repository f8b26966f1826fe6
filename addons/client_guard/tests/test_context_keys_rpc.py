"""Context keys are the caller's to set (issue 16): ``default_<field>`` keys
sent over XML-RPC do not loosen the rules that look at the values created."""

import xmlrpc.client

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestContextKeysRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "Context keys dept"})
        cls.team_other = cls.env["crm.team"].create({"name": "Context keys other dept"})
        cls.user = new_test_user(cls.env, "cg_ctx", password="cg_ctx_pw12",
                                 groups="base.group_user,client_guard.group_scope_own,"
                                 "sales_team.group_sale_salesman")
        cls.other = new_test_user(cls.env, "cg_ctx_other", password="cg_ctx_other_pw12",
                                  groups="base.group_user,client_guard.group_scope_own")
        cls.loner = new_test_user(cls.env, "cg_ctx_loner", password="cg_ctx_loner_pw12",
                                  groups="base.group_user,client_guard.group_scope_own")
        cls.team.member_ids = [(6, 0, [cls.user.id, cls.other.id])]
        cls.own = cls.env["res.partner"].create({
            "name": "Ctx own client", "is_company": True, "user_id": cls.user.id, "team_id": cls.team.id})
        cls.hidden = cls.env["res.partner"].create({
            "name": "Ctx hidden client", "is_company": True, "user_id": cls.other.id, "team_id": cls.team.id,
            "phone": "+7 495 765-43-21"})

    def call(self, login, model, method, args, context):
        db, password = self.env.cr.dbname, f"{login}_pw12"
        uid = self.xmlrpc_common.authenticate(db, login, password, {})
        return self.xmlrpc_object.execute_kw(db, uid, password, model, method, args, {"context": context})

    @mute_logger("odoo.http")
    def test_default_keys_do_not_make_a_private_client(self):
        Partner = self.env["res.partner"].with_context(active_test=False)
        for context in ({"default_is_private": True},
                        {"default_trusted_user_ids": [(6, 0, [self.other.id])]}):
            with self.assertRaises(xmlrpc.client.Fault) as ctx:
                self.call("cg_ctx", "res.partner", "create", [{"name": "Ctx secret", "is_company": True}], context)
            self.assertIn("not allowed to make a client private", ctx.exception.faultString)
        self.assertFalse(Partner.search([("name", "=", "Ctx secret")]))

    @mute_logger("odoo.http")
    def test_default_team_does_not_place_a_client_in_another_department(self):
        with self.assertRaises(xmlrpc.client.Fault) as ctx:
            self.call("cg_ctx_loner", "res.partner", "create", [{"name": "Ctx placed", "is_company": True}],
                      {"default_team_id": self.team_other.id})
        self.assertIn("your own departments", ctx.exception.faultString)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Ctx placed")]))

    @mute_logger("odoo.http")
    def test_default_partner_does_not_link_an_opportunity_to_a_hidden_client(self):
        with self.assertRaises(xmlrpc.client.Fault):
            self.call("cg_ctx", "crm.lead", "create", [{"name": "Ctx lead", "type": "opportunity"}],
                      {"default_partner_id": self.hidden.id})
        self.assertFalse(self.env["crm.lead"].with_context(active_test=False).search([("name", "=", "Ctx lead")]))

    @mute_logger("odoo.http")
    def test_default_user_does_not_assign_an_opportunity_or_an_activity_to_another(self):
        with self.assertRaises(xmlrpc.client.Fault) as ctx:
            self.call("cg_ctx", "crm.lead", "create", [{"name": "Ctx lead 2", "partner_id": self.own.id}],
                      {"default_user_id": self.other.id})
        self.assertIn("another user", ctx.exception.faultString)
        self.assertFalse(self.env["crm.lead"].with_context(active_test=False).search([("name", "=", "Ctx lead 2")]))
        with self.assertRaises(xmlrpc.client.Fault) as ctx:
            self.call("cg_ctx", "mail.activity", "create", [{
                "res_model_id": self.env["ir.model"]._get_id("res.partner"), "res_id": self.own.id,
                "summary": "Ctx planned for other", "date_deadline": fields.Date.to_string(fields.Date.today()),
            }], {"default_user_id": self.other.id})
        self.assertIn("plan activities for another user", ctx.exception.faultString)
        self.assertFalse(self.env["mail.activity"].search([("summary", "=", "Ctx planned for other")]))

    def test_control_plain_creation_still_works(self):
        partner_id = self.call("cg_ctx", "res.partner", "create", [{"name": "Ctx plain", "is_company": True}], {})
        partner = self.env["res.partner"].browse(partner_id)
        self.assertEqual((partner.user_id, partner.is_private), (self.user, False))
