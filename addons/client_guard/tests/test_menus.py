from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestOfficerApp(TransactionCase):
    """Issue 10: the security officer had no way to their tools (they sat
    under CRM > Configuration); they get an app of their own."""

    def test_officer_has_an_app(self):
        officer = new_test_user(
            self.env, "cg_menu_officer", groups="base.group_user,client_guard.group_security_officer")
        seller = new_test_user(self.env, "cg_menu_own", groups="base.group_user,client_guard.group_scope_own")
        root = self.env.ref("client_guard.menu_client_guard_root")
        self.assertFalse(root.parent_id, "a top-level app")
        self.assertTrue(root.web_icon_data)
        Menu = self.env["ir.ui.menu"]
        visible = Menu.with_user(officer)._visible_menu_ids()
        log = self.env.ref("client_guard.menu_client_guard_security_event")
        self.assertTrue({root.id, log.id} <= visible)
        # every entry of the app is there for the officer (whatever modules add)
        entries = Menu.search([("id", "child_of", root.id)])
        self.assertTrue(set(entries.ids) <= visible)
        self.assertNotIn(root.id, Menu.with_user(seller)._visible_menu_ids())
        # it shows in the officer's app switcher with its translated name
        self.env["res.lang"]._activate_lang("ru_RU")
        officer.lang = "ru_RU"
        menus = Menu.with_user(officer).with_context(lang="ru_RU").load_menus(False)
        self.assertIn(root.id, menus["root"]["children"])
