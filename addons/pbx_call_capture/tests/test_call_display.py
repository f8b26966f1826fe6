"""What a salesperson sees of a call (issue 12 §5): the client's name from the
caller id or a placeholder its curator replaces once, the call's line and
title in the reader's language with the number formatted, the recording in
an audio player."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCallDisplay(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env["ir.module.module"].search([("name", "=", "pbx_call_capture")])._update_translations(["ru_RU"])
        cls.env.company.country_id = cls.env.ref("base.ru")
        cls.team = cls.env["crm.team"].create({"name": "Display dept"})
        dept = "base.group_user,client_guard.group_scope_department"
        cls.curator = new_test_user(cls.env, "pbx_disp_cur", groups=dept, lang="ru_RU")
        cls.curator.pbx_extension = "9301"
        cls.colleague = new_test_user(cls.env, "pbx_disp_col", groups=dept)
        cls.listener = new_test_user(
            cls.env, "pbx_disp_listen", groups="base.group_user,pbx_call_capture.group_listen_recordings")
        cls.team.member_ids = [(6, 0, [cls.curator.id, cls.colleague.id])]
        cls.integration = new_test_user(cls.env, "pbx_disp_int", groups="pbx_call_capture.group_pbx_integration")

    def push(self, uniqueid, **values):
        cdr = dict({"uniqueid": uniqueid, "src": "89035556677", "dst": "9301", "start": "2026-11-23 10:00:00",
                    "duration": 65, "billsec": 60, "disposition": "ANSWERED"}, **values)
        [result] = self.env["pbx.call"].with_user(self.integration).register_calls([cdr])
        return self.env["pbx.call"].browse(result["id"])

    def test_placeholder_name_replaced_once_by_the_curator(self):
        call = self.push("p1")
        client = call.partner_id
        self.assertTrue(client.call_name_placeholder)
        self.assertEqual(client.name, "Неизвестный абонент +7 903 555-66-77", "in the curator's language")
        # not by a colleague who sees the client
        with self.assertRaises(UserError):
            client.with_user(self.colleague).write({"name": "Colleague's name"})
        # nor can anyone mark a name as a placeholder again
        with self.assertRaises(AccessError):
            client.with_user(self.curator).write({"call_name_placeholder": True})
        client.with_user(self.curator).write({"name": "ООО Ромашка"})
        self.assertEqual(client.name, "ООО Ромашка")
        self.assertFalse(client.call_name_placeholder)
        with self.assertRaises(UserError):
            client.with_user(self.curator).write({"name": "Another name"})
        self.assertEqual(client.name, "ООО Ромашка")

    def test_caller_id_name_is_no_placeholder(self):
        client = self.push("p2", src="89035556688", clid='"Иван Сидоров" <+79035556688>').partner_id
        self.assertEqual(client.name, "Иван Сидоров")
        self.assertFalse(client.call_name_placeholder)
        with self.assertRaises(UserError):
            client.with_user(self.curator).write({"name": "Renamed"})

    def test_call_line_and_title_translated_and_formatted(self):
        call = self.push("t1")
        self.assertEqual(call.with_context(lang="ru_RU").display_name, "+7 903 555-66-77 (Входящий)")
        self.assertEqual(call.with_context(lang="en_US").display_name, "+7 903 555-66-77 (Inbound)")
        messages = self.env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "=", call.partner_id.id)])
        body = " ".join(messages.mapped("body"))
        self.assertIn("Входящий", body, "the curator reads Russian")
        self.assertIn("Отвечен", body)
        self.assertIn("+7 903 555-66-77", body)
        self.assertNotIn("Inbound", body)

    def test_recording_played_in_an_audio_player(self):
        for model in ("pbx.call", "res.partner"):
            arch = self.env[model].with_user(self.listener).get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertIn('name="recording_url" widget="pbx_audio"', arch, model)
            arch = self.env[model].with_user(self.colleague).get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertNotIn("recording_url", arch, f"{model}: only listeners get the player")
        assets = [path for path, *_rest in self.env["ir.asset"]._get_asset_paths("web.assets_backend", {})]
        self.assertTrue(any(path.endswith("pbx_call_capture/static/src/fields/pbx_audio_field.js") for path in assets))
