from lxml import etree

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPbxSettings(TransactionCase):
    """The PBX time zone says what applies when it is left empty (issue 10 §2)."""

    def test_empty_time_zone_shows_the_default(self):
        self.env["ir.config_parameter"].sudo().set_param("pbx_call_capture.timezone", False)
        self.env.company.partner_id.tz = "Asia/Yekaterinburg"
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.pbx_timezone)
        self.assertEqual(settings.pbx_timezone_default, "Asia/Yekaterinburg")
        self.env.company.partner_id.tz = False
        self.assertEqual(self.env["res.config.settings"].create({}).pbx_timezone_default, "UTC")
        arch = etree.fromstring(self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"])
        [setting] = arch.xpath("//setting[@id='pbx_timezone']")
        self.assertTrue(setting.xpath(".//field[@name='pbx_timezone_default']"))
