from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTransferMenus(TransactionCase):
    """Issue 10: heads could not reach the transfer tools (they sat under
    CRM > Configuration, shown to sales administrators only)."""

    def test_heads_reach_transfers_from_crm(self):
        head = new_test_user(
            self.env, "ct_menu_head",
            groups="base.group_user,client_guard.group_scope_department,curator_transfer.group_transfer_manager")
        seller = new_test_user(self.env, "ct_menu_own", groups="base.group_user,client_guard.group_scope_own")
        ref = self.env.ref
        root = ref("curator_transfer.menu_curator_transfer_root")
        self.assertEqual(root.parent_id, ref("crm.crm_menu_root"))
        entries = ref("curator_transfer.menu_curator_transfer_wizard") | ref("curator_transfer.menu_curator_transfer")
        self.assertEqual(entries.parent_id, root)
        visible = self.env["ir.ui.menu"].with_user(head)._visible_menu_ids()
        self.assertTrue({root.id, *entries.ids} <= visible)
        self.assertIn(ref("crm.crm_menu_root").id, visible)
        self.assertNotIn(ref("crm.crm_menu_config").id, visible, "heads are not sales administrators")
        self.assertFalse(
            {root.id, *entries.ids} & self.env["ir.ui.menu"].with_user(seller)._visible_menu_ids())
