from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestShiftForm(TransactionCase):
    """What the shift form and the required client fields tell their user (issue 10 §2, §3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env.company.write({"shift_min_call_duration": 30, "shift_min_note_length": 10,
                               "shift_require_reason": False, "shift_count_missed": True})
        cls.team = cls.env["crm.team"].create({"name": "Shift form dept"})
        dept = "base.group_user,client_guard.group_scope_department"
        cls.employee = new_test_user(cls.env, "shf_emp", groups=dept, tz="UTC")
        cls.employee.pbx_extension = "8811"
        cls.head = new_test_user(cls.env, "shf_head", groups=dept)
        cls.team.write({"user_id": cls.head.id, "member_ids": [(6, 0, [cls.employee.id])]})
        cls.client = cls.env["res.partner"].create({"name": "Shift form client", "phone": "+7 499 555-00-11",
                                                    "user_id": cls.employee.id, "team_id": cls.team.id})
        cls.shift = cls.env["work.shift"]._ensure_open(cls.employee)
        cls.shift.date_start = fields.Datetime.now() - timedelta(hours=2)

    def push(self, uniqueid, **values):
        call = {"uniqueid": uniqueid, "src": "+74995550011", "dst": "8811",
                "start": fields.Datetime.to_string(fields.Datetime.now() - timedelta(minutes=90)) + "+00:00",
                "duration": 70, "billsec": 60, "disposition": "ANSWERED"}
        call.update(values)
        [result] = self.env["pbx.call"].sudo()._register_calls([call])
        return self.env["pbx.call"].browse(result["id"])

    def form_arch(self, user):
        arch = self.env["work.shift"].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
        return etree.fromstring(arch)

    def test_open_shift_lists_the_calls_needing_a_note(self):
        first, second = self.push("f1"), self.push("f2")
        [values] = self.shift.with_user(self.employee).read(["pending_note_count", "pending_call_ids"])
        self.assertEqual(values["pending_note_count"], 2)
        self.assertEqual(set(values["pending_call_ids"]), {first.id, second.id})
        arch = self.form_arch(self.employee)
        self.assertTrue(arch.xpath("//field[@name='pending_call_ids']/list"))
        # the stored figures (filled at close) are not shown as "Calls 0" on an open shift
        [figures] = arch.xpath("//field[@name='call_count']/..")
        self.assertIn("state == 'open'", figures.get("invisible"))

    def test_force_close_shown_only_to_who_may_use_it(self):
        self.assertFalse(self.shift.with_user(self.employee).can_force_close)
        self.assertTrue(self.shift.with_user(self.head).can_force_close)
        [button] = self.form_arch(self.employee).xpath("//button[@string='Force close']")
        self.assertIn("not can_force_close", button.get("invisible"))

    def test_short_note_says_the_minimum(self):
        call = self.push("s1")
        call.with_user(self.employee).write({"note": "ok, done"})
        with self.assertRaises(UserError) as ctx:
            self.shift.with_user(self.employee).action_close()
        message = str(ctx.exception)
        self.assertIn("note too short: 8 of at least 10 characters", message)
        self.assertNotIn("no note", message)
        self.assertEqual(self.shift.state, "open")
        action = self.shift.with_user(self.employee).with_context(shift_close_wizard=True).action_close()
        wizard = self.env["work.shift.close.wizard"].browse(action["res_id"])
        self.assertIn("at least 10 characters", wizard.message)

    def test_reason_of_contact_required_for_salespeople(self):
        self.env.company.client_required_field_ids = self.env.ref("client_guard.field_res_partner__contact_reason_id")
        reason = self.env["client_guard.contact.reason"].create({"name": "Exhibition (test)"})
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"].search([("name", "=", "client_guard")])._update_translations(["ru_RU"])
        Partner = self.env["res.partner"].with_user(self.employee)
        with self.assertRaises(ValidationError) as ctx:
            Partner.with_context(lang="ru_RU").create({"name": "No reason client"})
        self.assertIn("Причина обращения", str(ctx.exception))
        self.assertFalse(self.env["res.partner"].search([("name", "=", "No reason client")]))
        client = Partner.create({"name": "Reasoned client", "contact_reason_id": reason.id})
        self.assertEqual(client.contact_reason_id, reason)
        self.assertTrue(Partner.fields_get(["contact_reason_id"], ["required"])["contact_reason_id"]["required"])
        # contacts of a client need none
        Partner.create({"name": "Contact", "parent_id": client.id})

    def test_settings_checkboxes_in_odoo_layout(self):
        arch = etree.fromstring(
            self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"])
        for fname in ("shift_require_reason", "shift_count_missed", "shift_min_note_length"):
            [field] = arch.xpath(f"//field[@name='{fname}']")
            self.assertEqual(field.getparent().tag, "setting", fname)
            self.assertFalse(arch.xpath(f"//label[@for='{fname}']"), fname)
