from odoo.tests import TransactionCase, new_test_user


class AuditCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.team = cls.env["crm.team"].create({"name": "Audit dept"})
        cls.salesperson = new_test_user(
            cls.env, "au_sales", name="Audit Salesperson",
            groups="base.group_user,client_guard.group_scope_department")
        cls.successor = new_test_user(
            cls.env, "au_successor", name="Audit Successor",
            groups="base.group_user,client_guard.group_scope_department")
        cls.head = new_test_user(
            cls.env, "au_head", name="Audit Head",
            groups="base.group_user,client_guard.group_scope_department,client_guard.group_manage_curators,"
            "client_guard.group_edit_existing,client_guard.group_delete_clients,"
            "curator_transfer.group_transfer_manager,sales_team.group_sale_salesman_all_leads")
        cls.officer = new_test_user(
            cls.env, "au_officer", name="Audit Officer",
            groups="base.group_user,client_guard.group_security_officer")
        cls.sysadmin = new_test_user(
            cls.env, "au_admin", name="Audit Admin",
            groups="base.group_system,base.group_partner_manager,client_guard.group_security_officer")
        cls.team.member_ids = [(6, 0, [cls.salesperson.id, cls.successor.id, cls.head.id])]
        cls.client = cls.env["res.partner"].create({
            "name": "Audited client", "is_company": True, "user_id": cls.salesperson.id,
            "team_id": cls.team.id, "email": "audited@client.example",
        })
        cls.contact = cls.env["res.partner"].create({"name": "Audited contact", "parent_id": cls.client.id})
        cls.Log = cls.env["client_guard.audit.log"]
        # as a commit would: the set-up's records are logged as created, and
        # the tests' changes come in transactions of their own
        cls.env.flush_all()
        cls.env.cr.flush()

    def commit_hooks(self):
        """What a commit does before COMMIT: flush and run the precommit hooks."""
        self.env.flush_all()
        self.env.cr.flush()

    def logs(self, record, **domain):
        terms = [("model", "=", record._name), ("res_id", "=", record.id)]
        terms += [(key, "=", value) for key, value in domain.items()]
        return self.Log.search(terms)
