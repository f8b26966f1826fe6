from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestOfficerAuditTour(HttpCase):
    """Issue 10 §1: the officer reaches the audit log from their own app and
    finds who changed a client's e-mail."""

    def test_officer_finds_the_change(self):
        new_test_user(self.env, "tour_audit_officer", name="Officer Oleg", tour_enabled=False,
                      groups="base.group_user,client_guard.group_security_officer")
        changer = new_test_user(self.env, "tour_changer", name="Changing Chris",
                                groups="base.group_user,client_guard.group_scope_own")
        client = self.env["res.partner"].create({"name": "Audited Anton Ltd", "is_company": True,
                                                 "user_id": changer.id})
        self.env.flush_all()
        self.env.cr.flush()  # as a commit would: the creation is one transaction, the change another
        client.with_user(changer).write({"email": "changed@anton.example"})
        self.env.flush_all()
        self.env.cr.flush()
        line = self.env["client_guard.audit.log"].search(
            [("model", "=", "res.partner"), ("res_id", "=", client.id), ("user_id", "=", changer.id)])
        self.assertTrue(line)
        self.start_tour("/odoo", "client_guard_officer_audit", login="tour_audit_officer", timeout=120)
        # reading the log changes nothing in it
        self.assertEqual(line.exists(), line)
        self.assertEqual(line.user_id.name, "Changing Chris")
