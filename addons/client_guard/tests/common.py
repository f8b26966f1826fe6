from odoo.tests import TransactionCase, new_test_user


class ClientGuardCase(TransactionCase):
    """Two departments, users at each visibility level, clients of each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Team = cls.env["crm.team"]
        cls.team_a = Team.create({"name": "Sales A"})
        cls.team_b = Team.create({"name": "Sales B"})
        cls.team_lg = Team.create({"name": "Lead generation"})
        base = "base.group_user"
        cls.user_own = new_test_user(cls.env, "cg_own", groups=f"{base},client_guard.group_scope_own")
        cls.user_own2 = new_test_user(cls.env, "cg_own2", groups=f"{base},client_guard.group_scope_own")
        cls.user_dept = new_test_user(cls.env, "cg_dept", groups=f"{base},client_guard.group_scope_department")
        cls.user_all = new_test_user(cls.env, "cg_all", groups=f"{base},client_guard.group_scope_all")
        cls.user_lg = new_test_user(cls.env, "cg_lg", groups=f"{base},client_guard.group_scope_department")
        cls.user_head = new_test_user(
            cls.env,
            "cg_head",
            groups=f"{base},client_guard.group_scope_department,client_guard.group_manage_curators,"
            "client_guard.group_plan_for_others,sales_team.group_sale_salesman_all_leads",
        )
        cls.user_admin = new_test_user(
            cls.env, "cg_admin", groups="base.group_system,base.group_partner_manager,sales_team.group_sale_manager")
        cls.user_plain = new_test_user(cls.env, "cg_plain", groups="base.group_user,base.group_partner_manager")
        cls.team_a.write({"member_ids": [(6, 0, [cls.user_own.id, cls.user_dept.id, cls.user_head.id])]})
        cls.team_b.write({"member_ids": [(6, 0, [cls.user_own2.id, cls.user_all.id])]})
        cls.team_lg.write({"member_ids": [(6, 0, [cls.user_lg.id])]})
        cls.user_lg.extra_team_ids = [(6, 0, [cls.team_b.id])]
        Partner = cls.env["res.partner"]
        cls.client_own = Partner.create({
            "name": "Client of own", "is_company": True, "user_id": cls.user_own.id,
            "team_id": cls.team_a.id, "phone": "+7 495 111-11-11", "email": "own@client.example",
        })
        cls.contact_own = Partner.create({"name": "Contact of own", "parent_id": cls.client_own.id})
        cls.client_dept = Partner.create({
            "name": "Client of dept", "is_company": True, "user_id": cls.user_dept.id, "team_id": cls.team_a.id,
        })
        cls.client_b = Partner.create({
            "name": "Client of B", "is_company": True, "user_id": cls.user_own2.id, "team_id": cls.team_b.id,
        })
        cls.client_private = Partner.create({
            "name": "Private client", "is_company": True, "user_id": cls.user_own.id, "team_id": cls.team_a.id,
            "is_private": True, "trusted_user_ids": [(6, 0, [cls.user_head.id])],
        })
        cls.contact_private = Partner.create({"name": "Contact of private", "parent_id": cls.client_private.id})
        cls.clients = cls.client_own | cls.client_dept | cls.client_b | cls.client_private

    def visible(self, user, records=None):
        records = records or self.clients
        return self.env["res.partner"].with_user(user).search([("id", "in", records.ids)])
