from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ClientGuardCase


@tagged("post_install", "-at_install")
class TestLeakPaths(ClientGuardCase):
    """Paths found by the top-level leak tests (tests/test_leaks_rpc.py):
    opportunities and followers carried a client out of the user's level."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lead = cls.env["crm.lead"]
        # an opportunity with no salesperson: Odoo's salesman rule shows it to every salesperson
        cls.pool_lead_b = Lead.create({"name": "Pool B", "type": "opportunity", "partner_id": cls.client_b.id,
                                       "user_id": False, "team_id": cls.team_b.id})
        cls.pool_lead_dept = Lead.create({"name": "Pool dept", "type": "opportunity",
                                          "partner_id": cls.client_dept.id, "user_id": False})
        cls.pool_lead_none = Lead.create({"name": "Pool, no client", "type": "opportunity", "user_id": False})
        cls.assigned_lead_b = Lead.create({"name": "Assigned on B", "type": "opportunity",
                                           "partner_id": cls.client_b.id, "user_id": cls.user_own.id})
        cls.leads = cls.pool_lead_b | cls.pool_lead_dept | cls.pool_lead_none | cls.assigned_lead_b
        cls.client_b.message_subscribe(partner_ids=[cls.user_own2.partner_id.id])
        cls.client_own.message_subscribe(partner_ids=[cls.user_own.partner_id.id])
        cls.client_private.message_subscribe(partner_ids=[cls.user_head.partner_id.id])

    def visible_leads(self, user):
        return self.env["crm.lead"].with_user(user).search([("id", "in", self.leads.ids)])

    def test_unassigned_opportunities_follow_client_level(self):
        self.assertEqual(self.visible_leads(self.user_own), self.pool_lead_none | self.assigned_lead_b)
        self.assertEqual(self.visible_leads(self.user_dept), self.pool_lead_dept | self.pool_lead_none)
        self.assertEqual(self.visible_leads(self.user_all), self.pool_lead_b | self.pool_lead_dept
                         | self.pool_lead_none)
        with self.assertRaises(AccessError):
            self.pool_lead_b.with_user(self.user_own).read(["partner_id", "email_from", "phone"])
        # users in no visibility level keep Odoo's rules
        self.assertEqual(self.visible_leads(self.user_admin), self.leads)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_opportunity_cannot_point_at_unreadable_client(self):
        Lead = self.env["crm.lead"].with_user(self.user_own)
        count = Lead.sudo().search_count([("partner_id", "=", self.client_b.id)])
        with self.assertRaises(AccessError):
            Lead.create({"name": "Mine", "type": "opportunity", "partner_id": self.client_b.id,
                         "user_id": self.user_own.id})
        own_lead = Lead.create({"name": "Mine", "type": "opportunity", "partner_id": self.client_own.id})
        with self.assertRaises(AccessError):
            own_lead.write({"partner_id": self.client_b.id})
        self.assertEqual(own_lead.partner_id, self.client_own)
        self.assertEqual(Lead.sudo().search_count([("partner_id", "=", self.client_b.id)]), count)
        # an opportunity assigned to the user on another's client stays workable
        self.assigned_lead_b.with_user(self.user_own).write({"description": "Called"})

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_followers_of_unreadable_clients_hidden(self):
        Followers = self.env["mail.followers"]
        domain = [("res_model", "=", "res.partner"), ("res_id", "=", self.client_b.id)]
        followers_b = Followers.search(domain)
        self.assertTrue(followers_b)
        self.assertFalse(Followers.with_user(self.user_own).search(domain))
        self.assertEqual(Followers.with_user(self.user_own2).search(domain), followers_b)
        with self.assertRaises(AccessError):
            followers_b.with_user(self.user_own).read(["partner_id"])
        # followers of a readable client, and of other documents, stay readable
        self.assertTrue(Followers.with_user(self.user_own).search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.client_own.id)]))

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_administrator_cannot_follow_private_client(self):
        Followers = self.env["mail.followers"].with_user(self.user_admin)
        domain = [("res_model", "=", "res.partner"), ("res_id", "=", self.client_private.id)]
        before = Followers.sudo().search(domain)
        self.assertFalse(Followers.search(domain))
        with self.assertRaises(AccessError):
            Followers.create({"res_model": "res.partner", "res_id": self.client_private.id,
                              "partner_id": self.user_admin.partner_id.id})
        with self.assertRaises(AccessError):
            before.with_user(self.user_admin).unlink()
        self.assertEqual(Followers.sudo().search(domain), before)
