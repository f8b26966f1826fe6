from odoo.exceptions import RedirectWarning
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestArchivePrivate(TransactionCase):
    """Archiving a user whose private clients the administrator cannot see (issue 10 §2)."""

    def test_archive_message_and_wizard_say_why_private_clients_are_missing(self):
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        team = env["crm.team"].create({"name": "Archive dept"})
        dept = "base.group_user,client_guard.group_scope_department"
        leaver = new_test_user(env, "cta_leaver", groups=dept)
        trusted = new_test_user(env, "cta_trusted", name="Trusted Tanya", groups=dept)
        team.member_ids = [(6, 0, [leaver.id, trusted.id])]
        Partner = env["res.partner"]
        public = Partner.create([{"name": f"Public {i}", "is_company": True, "user_id": leaver.id,
                                  "team_id": team.id} for i in range(3)])
        private = Partner.create({
            "name": "Secret Ltd", "is_company": True, "user_id": leaver.id, "team_id": team.id,
            "is_private": True, "trusted_user_ids": [(6, 0, [trusted.id])]})
        admin = new_test_user(env, "cta_admin", groups="base.group_system,curator_transfer.group_transfer_manager")
        with self.assertRaises(RedirectWarning) as ctx:
            leaver.with_user(admin).action_archive()
        message = ctx.exception.args[0]
        self.assertIn("4 clients", message)
        self.assertIn("1 private clients", message)
        self.assertIn("Trusted Tanya", message)
        self.assertNotIn("Secret Ltd", message)
        self.assertTrue(leaver.active)
        action = ctx.exception.args[1]
        wizard = env["curator.transfer.wizard"].with_user(admin).with_context(**action["context"]).create({})
        self.assertEqual(wizard.sudo().partner_ids, public)
        self.assertIn("1 private clients", wizard.hidden_private_note)
        # the trusted user may transfer them all: no note
        self.assertFalse(env["curator.transfer.wizard"].with_user(trusted)._hidden_private_note(leaver))
        self.assertNotIn(private, wizard.sudo().partner_ids)
