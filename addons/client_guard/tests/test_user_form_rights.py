from lxml import etree

from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestUserFormRights(TransactionCase):
    """Issue 10: the suite's rights showed on the user form only in developer
    mode, though the README tells administrators to set them there."""

    def test_rights_on_the_user_form_without_developer_mode(self):
        admin = new_test_user(self.env, "cg_rights_admin", groups="base.group_user,base.group_system")
        self.assertFalse(admin.has_group("base.group_no_one"))
        arch = self.env["res.users"].with_user(admin).get_views(
            [(self.env.ref("base.view_users_form").id, "form")])["views"]["form"]["arch"]
        shown = set()
        for node in etree.fromstring(arch).iter("field"):
            if node.get("invisible") in ("True", "1", "true"):
                continue
            name = node.get("name", "")
            if name.startswith(("in_group_", "sel_groups_")):
                shown.update(int(part) for part in name.split("_")[2:] if part.isdigit())
        suite = self.env.ref("client_guard.module_category_client_guard_suite")
        groups = self.env["res.groups"].search([("category_id", "child_of", suite.id)])
        for xmlid in ("client_guard.group_scope_own", "client_guard.group_scope_all",
                      "client_guard.group_edit_existing", "client_guard.group_delete_clients",
                      "client_guard.group_manage_curators", "client_guard.group_mass_operations",
                      "client_guard.group_plan_for_others", "client_guard.group_security_officer"):
            self.assertIn(self.env.ref(xmlid), groups)
        missing = groups.filtered(lambda g: g.id not in shown)
        self.assertFalse(missing, f"not on the user form without developer mode: {missing.mapped('name')}")

    def test_granting_from_the_form(self):
        """What the form's fields write: the ladder as one choice, a right as another."""
        user = new_test_user(self.env, "cg_rights_user", groups="base.group_user")
        fields = self.env["res.users"].fields_get()
        ladder = next(name for name, desc in fields.items() if name.startswith("sel_groups_")
                      and self.env.ref("client_guard.group_scope_department").id in
                      [value for value, _label in desc.get("selection", [])])
        right = next(name for name, desc in fields.items() if name.startswith("sel_groups_")
                     and [value for value, _label in desc.get("selection", [])] ==
                     [False, self.env.ref("client_guard.group_edit_existing").id])
        user.write({ladder: self.env.ref("client_guard.group_scope_department").id,
                    right: self.env.ref("client_guard.group_edit_existing").id})
        self.assertTrue(user.has_group("client_guard.group_scope_department"))
        self.assertTrue(user.has_group("client_guard.group_scope_own"), "the ladder implies the rung below")
        self.assertFalse(user.has_group("client_guard.group_scope_all"))
        self.assertTrue(user.has_group("client_guard.group_edit_existing"))
