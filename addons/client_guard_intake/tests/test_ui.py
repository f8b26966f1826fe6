from datetime import timedelta

from odoo.tests import HttpCase, new_test_user, tagged

from .common import csv_file


@tagged("post_install", "-at_install")
class TestIntakeUi(HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.ru")
        base = "base.group_user"
        cls.head = new_test_user(
            cls.env, "tour_head",
            groups=f"{base},client_guard.group_scope_department,client_guard.group_manage_curators")
        cls.ivan = new_test_user(cls.env, "tour_ivan", groups=f"{base},client_guard.group_scope_own")
        cls.olga = new_test_user(cls.env, "tour_olga", groups=f"{base},client_guard.group_scope_own")
        cls.env["crm.team"].create({"name": "Tour department", "user_id": cls.head.id,
                                    "member_ids": [(6, 0, [cls.ivan.id, cls.olga.id])]})
        cls.client = cls.env["res.partner"].create({
            "name": "Tour deputised client", "is_company": True, "user_id": cls.olga.id,
            "email": "tour@private.example", "is_private": True,
        })

    def test_intake_tour(self):
        intake = self.env["client_guard.intake"].with_user(self.head).create({
            "file": csv_file([["Name", "Phone", "E-mail"], ["Tour new client", "8 383 200 00 09", ""],
                              ["Someone", "", "tour@private.example"]]),
            "file_name": "tour.csv", "owner_id": self.ivan.id,
        })
        self.start_tour(f"/odoo/action-client_guard_intake.action_client_guard_intake/{intake.id}",
                        "client_guard_intake_tour", login="tour_head")
        self.assertEqual(intake.state, "done")
        created = intake.line_ids.filtered(lambda line: line.state == "new").result_partner_id
        self.assertEqual((created.name, created.user_id), ("Tour new client", self.ivan))

    def test_deputy_tour(self):
        today = self.env["curator.deputy"]._curator_today(self.olga)
        self.env["curator.deputy"].with_user(self.head).create({
            "curator_id": self.olga.id, "deputy_id": self.ivan.id, "date_from": today,
            "date_to": today + timedelta(days=3)})
        self.start_tour("/odoo/action-base.action_partner_form", "client_guard_deputy_tour", login="tour_ivan")
