from odoo.tests import tagged

from .common import AuditCase


@tagged("post_install", "-at_install")
class TestAuditReader(AuditCase):
    """The log reads in its reader's language (issue 10 §2)."""

    def test_created_record_values_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"].search([("name", "=", "base")])._update_translations(["ru_RU"])
        self.salesperson.lang = "ru_RU"
        partner = self.env["res.partner"].with_user(self.salesperson).with_context(lang="ru_RU").create({
            "name": "Клиент из Москвы", "is_company": True, "phone": "+7 495 000-11-22"})
        self.commit_hooks()
        entry = self.logs(partner, operation="create")
        self.assertEqual(len(entry), 1)
        self.officer.lang = "en_US"
        [values] = entry.with_user(self.officer).with_context(lang="en_US").read(["new_value"])
        self.assertIn("Phone: +7 495 000-11-22", values["new_value"])
        self.assertNotIn("Телефон", values["new_value"])
        [values] = entry.with_user(self.officer).with_context(lang="ru_RU").read(["new_value"])
        self.assertIn("Телефон: +7 495 000-11-22", values["new_value"])
