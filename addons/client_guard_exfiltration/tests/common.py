from odoo.tests import TransactionCase, new_test_user


class ExfiltrationCase(TransactionCase):
    """An own-level salesperson with ten clients, a department user, an
    integration user, a security officer; thresholds lowered to a few clients."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.team = cls.env["crm.team"].create({"name": "Exfiltration team"})
        base = "base.group_user"
        cls.sales = new_test_user(cls.env, "ex_sales", groups=f"{base},client_guard.group_scope_own")
        cls.dept = new_test_user(cls.env, "ex_dept", groups=f"{base},client_guard.group_scope_department")
        cls.pbx = new_test_user(cls.env, "ex_pbx", groups=f"{base},client_guard.group_scope_all")
        cls.pbx.client_guard_integration = True
        cls.officer = new_test_user(
            cls.env, "ex_officer", email="ex_officer@example.com",
            groups=f"{base},client_guard.group_security_officer")
        cls.team.member_ids = [(6, 0, [cls.sales.id, cls.dept.id])]
        cls.clients = cls.env["res.partner"].create([
            {"name": f"Exfiltration client {i}", "user_id": cls.sales.id, "team_id": cls.team.id,
             "phone": f"+7 495 000-00-{i:02d}", "email": f"client{i}@exfiltration.example", "is_company": True}
            for i in range(10)
        ])
        ref = cls.env.ref
        ref("client_guard_exfiltration.threshold_scope_own").write(
            {"window_minutes": 60, "alert_count": 3, "block_count": 5})
        ref("client_guard_exfiltration.threshold_scope_department").write(
            {"window_minutes": 60, "alert_count": 7, "block_count": 9})
        ref("client_guard_exfiltration.threshold_scope_all").write(
            {"window_minutes": 60, "alert_count": 2, "block_count": 4})
        cls.Mark = cls.env["client_guard.exfiltration.mark"]
        cls.Alert = cls.env["client_guard.exfiltration.alert"]
        cls.Event = cls.env["client_guard.security.event"]

    def refused(self, exception, func, *args, **kwargs):
        """Like assertRaises, without its savepoint: what the guard writes
        with a refusal (alerts, events) must survive, as in production where
        it has its own transaction."""
        try:
            func(*args, **kwargs)
        except exception as error:
            return error
        self.fail(f"{exception.__name__} not raised")

    def marks(self, user):
        return self.Mark.search([("user_id", "=", user.id)])

    def read_clients(self, user, clients, fields=("name", "phone")):
        return clients.with_user(user).read(list(fields))
