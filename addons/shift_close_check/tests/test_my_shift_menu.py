from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMyShiftMenu(TransactionCase):
    """Issue 10: CRM > Shifts > My shift ended in an access error for
    salespeople (a server action on a model they only read)."""

    def test_salesperson_opens_my_shift(self):
        user = new_test_user(self.env, "sh_menu_own", groups="base.group_user,client_guard.group_scope_own")
        action = self.env.ref("shift_close_check.action_my_shift").with_user(user)
        result = action.run()
        shift = self.env["work.shift"].browse(result["res_id"])
        self.assertEqual(result["res_model"], "work.shift")
        self.assertEqual(shift.user_id, user)
        self.assertEqual(shift.state, "open")
        # the shift stays read-only for them
        self.assertFalse(self.env["work.shift"].with_user(user).has_access("write"))
