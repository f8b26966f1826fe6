import os

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.modules.module import get_module_path
from odoo.tests import tagged

from .common import ClientGuardCase


@tagged("post_install", "-at_install")
class TestUsability(ClientGuardCase):
    """What a new user hit in the web client (issue 10 §2, §3)."""

    def test_copy_of_a_non_private_client(self):
        copy = self.client_own.with_user(self.user_own).copy()
        self.assertFalse(copy.is_private)
        self.assertEqual(copy.user_id, self.user_own)
        # a private one still cannot be copied by who may not make clients private
        self.client_private.trusted_user_ids = [(4, self.user_own.id)]
        count = self.env["res.partner"].search_count([])
        with self.assertRaises(UserError):
            self.client_private.with_user(self.user_own).copy()
        self.assertEqual(self.env["res.partner"].search_count([]), count)
        # and nobody sneaks trusted users in
        with self.assertRaises(UserError):
            self.env["res.partner"].with_user(self.user_own).create(
                {"name": "Sneaky", "trusted_user_ids": [(4, self.user_dept.id)]})
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Sneaky")]))

    def test_messages_name_fields_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"].search([("name", "in", ("base", "client_guard"))])._update_translations(
            ["ru_RU"])
        self.user_own.lang = "ru_RU"
        for vals, label in (({"phone": "+7 000"}, "Телефон"), ({"name": "Другое"}, "Имя")):
            with self.assertRaises(UserError) as ctx:
                self.client_own.with_user(self.user_own).write(vals)
            self.assertIn(label, str(ctx.exception))
            self.assertNotIn("“Phone”", str(ctx.exception))
            self.assertNotIn("“Name”", str(ctx.exception))
        self.assertEqual(self.client_own.phone, "+7 495 111-11-11")

    def test_activity_dialog_offers_only_oneself(self):
        Schedule = self.env["mail.activity.schedule"]
        for model in ("mail.activity.schedule", "mail.activity"):
            arch = self.env[model].with_user(self.user_own).get_views([(False, "form")])["views"]["form"]["arch"]
            field = "activity_user_id" if model == "mail.activity.schedule" else "user_id"
            [node] = etree.fromstring(arch).xpath(f"//field[@name='{field}']")
            self.assertIn("client_guard_self_only", node.get("domain"))
        wizard = Schedule.with_user(self.user_own).with_context(
            active_model="res.partner", active_id=self.client_own.id).new({})
        self.assertTrue(wizard.client_guard_self_only)
        wizard = Schedule.with_user(self.user_head).with_context(
            active_model="res.partner", active_id=self.client_own.id).new({})
        self.assertFalse(wizard.client_guard_self_only)
        self.assertTrue(self.env["mail.activity"].with_user(self.user_own).new({}).client_guard_self_only)
        self.assertFalse(self.env["mail.activity"].with_user(self.user_admin).new({}).client_guard_self_only)


@tagged("post_install", "-at_install")
class TestContactReason(ClientGuardCase):
    def test_reasons_are_kept_by_sales_admins(self):
        Reason = self.env["client_guard.contact.reason"]
        reason = Reason.with_user(self.user_admin).create({"name": "Trade fair"})
        self.assertIn(reason, Reason.with_user(self.user_own).search([]))
        with self.assertRaises(AccessError):
            Reason.with_user(self.user_own).create({"name": "Mine"})
        self.assertFalse(Reason.search([("name", "=", "Mine")]))
        self.client_own.with_user(self.user_own).write({"contact_reason_id": reason.id})
        self.assertEqual(self.client_own.contact_reason_id, reason)
        # once filled, it is client data like the rest: not overwritten by a salesperson
        other = Reason.create({"name": "Website again"})
        with self.assertRaises(UserError):
            self.client_own.with_user(self.user_own).write({"contact_reason_id": other.id})
        self.assertEqual(self.client_own.contact_reason_id, reason)


@tagged("post_install", "-at_install")
class TestModulePages(ClientGuardCase):
    def test_apps_show_the_generated_description_page(self):
        """Every module of the suite has its index.html (built from readme/ by
        tools/gen_module_pages.py), an icon and a short summary; no README.md is
        left for Odoo to render as reStructuredText."""
        suite = self.env["ir.module.module"].search([("author", "=", "Client Guard Suite")])
        self.assertGreaterEqual(len(suite), 7)
        for module in suite:
            path = get_module_path(module.name)
            self.assertTrue(os.path.exists(os.path.join(path, "static/description/index.html")), module.name)
            self.assertTrue(os.path.exists(os.path.join(path, "static/description/icon.png")), module.name)
            self.assertFalse(os.path.exists(os.path.join(path, "README.md")), module.name)
            self.assertIn("<h1", module.description_html, module.name)
            self.assertNotIn("System Message", module.description_html, module.name)
            self.assertLessEqual(len(module.summary), 100, module.name)
            self.assertEqual(module.icon, f"/{module.name}/static/description/icon.png")
