from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .tour_common import load_russian


@tagged("post_install", "-at_install")
class TestDepartmentCardTour(HttpCase):
    """Issue 13: the client card as the department-level salesperson opens it
    (Customers menu, Russian UI): trusted users and curator history shown,
    another department's client not found; nothing written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_russian(cls.env)
        dept = "base.group_user,client_guard.group_scope_department"
        cls.dina = new_test_user(cls.env, "tour_dina", name="Дина Отделова", groups=dept, lang="ru_RU",
                                 tour_enabled=False)
        colleague = new_test_user(cls.env, "tour_kolin", name="Коллега Колин", groups=dept)
        first = new_test_user(cls.env, "tour_first", name="Первый Пётр", groups=dept)
        stranger = new_test_user(cls.env, "tour_stranger", name="Чужой Чарльз", groups=dept)
        Team = cls.env["crm.team"]
        team = Team.create({"name": "Отдел карточек", "member_ids": [(6, 0, (cls.dina | colleague | first).ids)]})
        other = Team.create({"name": "Чужой отдел", "member_ids": [(6, 0, stranger.ids)]})
        Partner = cls.env["res.partner"]
        cls.card = Partner.create({"name": "ООО «Карточка»", "is_company": True, "user_id": first.id,
                                   "team_id": team.id, "is_private": True,
                                   "trusted_user_ids": [(6, 0, cls.dina.ids)]})
        cls.card.user_id = colleague
        cls.foreign = Partner.create({"name": "ООО «Чужой отдел»", "is_company": True, "user_id": stranger.id,
                                      "team_id": other.id})

    def test_department_card(self):
        History = self.env["res.partner.curator.history"]
        before = History.search_read([("partner_id", "in", (self.card | self.foreign).ids)],
                                     ["user_id", "date_from", "date_to"])
        self.start_tour("/odoo", "client_guard_department_card", login="tour_dina", timeout=180)
        self.assertEqual(History.search_read([("partner_id", "in", (self.card | self.foreign).ids)],
                                             ["user_id", "date_from", "date_to"]), before)
        with self.assertRaises(AccessError):
            self.foreign.with_user(self.dina).read(["name"])
