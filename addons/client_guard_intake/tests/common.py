import base64
import csv
import io

from odoo.tests import TransactionCase, new_test_user


def csv_file(rows, delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return base64.b64encode(buffer.getvalue().encode("utf-8"))


def xlsx_file(rows):
    import openpyxl  # noqa: PLC0415 - a dependency of base_import

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return base64.b64encode(buffer.getvalue())


class IntakeCase(TransactionCase):
    """Two departments with a head, two salespeople and clients of each,
    one of them private."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env.company.country_id = cls.env.ref("base.ru")
        Team = cls.env["crm.team"]
        base = "base.group_user"
        cls.head = new_test_user(
            cls.env, "in_head",
            groups=f"{base},client_guard.group_scope_department,client_guard.group_manage_curators,"
            "client_guard.group_plan_for_others,sales_team.group_sale_salesman_all_leads")
        cls.ivan = new_test_user(cls.env, "in_ivan", groups=f"{base},client_guard.group_scope_own")
        cls.maria = new_test_user(cls.env, "in_maria", groups=f"{base},client_guard.group_scope_department")
        cls.olga = new_test_user(cls.env, "in_olga", groups=f"{base},client_guard.group_scope_own")
        cls.admin = new_test_user(
            cls.env, "in_admin", groups="base.group_system,base.group_partner_manager,sales_team.group_sale_manager")
        cls.team_a = Team.create({"name": "Intake Moscow", "user_id": cls.head.id,
                                  "member_ids": [(6, 0, [cls.ivan.id, cls.maria.id])]})
        cls.team_b = Team.create({"name": "Intake Saint Petersburg", "member_ids": [(6, 0, [cls.olga.id])]})
        Partner = cls.env["res.partner"]
        cls.client_ivan = Partner.create({
            "name": "ООО «Альфа»", "is_company": True, "user_id": cls.ivan.id, "team_id": cls.team_a.id,
            "phone": "+7 495 111-22-33", "email": "office@alfa.example",
        })
        cls.client_olga = Partner.create({
            "name": "Вектор", "is_company": True, "user_id": cls.olga.id, "team_id": cls.team_b.id,
            "vat": "5298765431",
        })
        cls.client_private = Partner.create({
            "name": "Секретный клиент", "is_company": True, "user_id": cls.olga.id, "team_id": cls.team_b.id,
            "is_private": True, "email": "boss@secret.example", "phone": "+7 812 555-00-11",
        })
        cls.contact_olga = Partner.create({
            "name": "Пётр Сидоров", "parent_id": cls.client_olga.id, "mobile": "+7 916 000-11-22"})

    def intake(self, rows, owner=None, user=None, file=None, file_name="list.csv"):
        Intake = self.env["client_guard.intake"].with_user(user or self.head)
        return Intake.create({
            "file": file or csv_file(rows), "file_name": file_name, "owner_id": (owner or self.ivan).id,
        })

    @staticmethod
    def by_row(intake):
        return {line.row: line for line in intake.line_ids}
