from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.client_guard.tests.tour_common import load_russian


@tagged("post_install", "-at_install")
class TestSalespersonTour(HttpCase):
    """Issue 10 §1: a salesperson's day clicked through in the web client,
    in Russian, then checked on the server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_russian(cls.env)
        company = cls.env.company
        Fields = cls.env["ir.model.fields"]
        company.write({
            "shift_min_call_duration": 30, "shift_min_note_length": 10, "shift_require_reason": False,
            "shift_count_missed": False,
            "client_required_field_ids": [(6, 0, [Fields._get("res.partner", "phone").id,
                                                  Fields._get("res.partner", "email").id])],
        })
        cls.team = cls.env["crm.team"].create({"name": "Отдел продаж (тур)"})
        cls.seller = new_test_user(
            cls.env, "tour_seller", name="Пётр Продавцов", groups="base.group_user,client_guard.group_scope_own",
            lang="ru_RU", tz="Europe/Moscow", tour_enabled=False)
        cls.seller.pbx_extension = "7701"
        cls.team.member_ids = [(6, 0, cls.seller.ids)]
        cls.caller = cls.env["res.partner"].create({
            "name": "ООО «Звонок-Тур»", "is_company": True, "user_id": cls.seller.id, "team_id": cls.team.id,
            "phone": "+7 495 700-00-01", "email": "zvonok@tour.example",
        })
        shift = cls.env["work.shift"]._ensure_open(cls.seller)
        shift.date_start = fields.Datetime.now() - timedelta(hours=3)
        start = fields.Datetime.now() - timedelta(minutes=90)
        cls.calls = cls.env["pbx.call"].browse([
            row["id"] for row in cls.env["pbx.call"].sudo()._register_calls([
                {"uniqueid": f"tour-seller-{i}", "src": "+74957000001", "dst": "7701",
                 "start": fields.Datetime.to_string(start + timedelta(minutes=i)) + "+00:00",
                 "duration": 70, "billsec": 60, "disposition": "ANSWERED"}
                for i in range(2)
            ])
        ])
        cls.shift = shift

    def test_salesperson_day(self):
        self.start_tour("/odoo", "client_guard_salesperson_day", login="tour_seller", timeout=240)
        client = self.env["res.partner"].search([("name", "=", "ООО «Тур-Клиент»")])
        self.assertEqual(len(client), 1)
        self.assertEqual(client.user_id, self.seller, "the client is the salesperson's")
        self.assertEqual(client.team_id, self.team)
        self.assertEqual(client.child_ids.name, "Анна Контактова")
        self.assertEqual(client.child_ids.user_id, self.seller)
        self.assertEqual(client.website, "https://tour-client.example", "the empty field was filled")
        self.assertEqual(client.phone, "+7 495 765-43-21", "the overwrite was refused, the phone unchanged")
        notes = client.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_note"))
        self.assertIn("Договорились о встрече в четверг", " ".join(notes.mapped("body")))
        self.assertEqual(notes.filtered(lambda m: "Договорились" in m.body).author_id, self.seller.partner_id)
        activity = client.activity_ids
        self.assertEqual(activity.summary, "Отправить коммерческое предложение")
        self.assertEqual(activity.user_id, self.seller)
        self.assertEqual(self.shift.state, "closed")
        self.assertEqual(sorted(self.calls.mapped("note")),
                         ["Клиент просил счёт на поставку", "Уточнили сроки доставки заказа"])
