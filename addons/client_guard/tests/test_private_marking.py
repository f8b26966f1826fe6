from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import ClientGuardCase

ONCHANGE_LOGGER = "odoo.tests.form.onchange"


@tagged("post_install", "-at_install")
class TestPrivateMarking(ClientGuardCase):
    """Issue 10: an administrator or head who ticked "Private client" on
    someone else's client with contacts got Odoo's raw "top-secret records"
    error and nothing was saved; creating a private client for another
    curator failed the same way."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact_dept = cls.env["res.partner"].create({"name": "Contact of dept", "parent_id": cls.client_dept.id})

    @mute_logger(ONCHANGE_LOGGER)
    def test_admin_marks_someone_elses_client_private(self):
        form = Form(self.client_dept.with_user(self.user_admin))
        form.is_private = True
        form.save()
        self.assertTrue(self.client_dept.is_private)
        self.assertTrue(self.contact_dept.is_private, "its contacts follow")
        self.assertEqual(self.client_dept.user_id, self.user_dept, "the curator is unchanged")
        self.assertFalse(self.visible(self.user_admin, self.client_dept), "out of the admin's sight now")
        self.assertTrue(self.visible(self.user_dept, self.client_dept), "the curator still sees it")

    @mute_logger(ONCHANGE_LOGGER)
    def test_head_marks_a_department_client_private(self):
        form = Form(self.client_dept.with_user(self.user_head))
        form.is_private = True
        form.save()
        self.assertTrue(self.client_dept.is_private)
        self.assertTrue(self.contact_dept.is_private)

    def test_head_keeps_sight_when_trusted(self):
        client = self.client_dept.with_user(self.user_head)
        client.write({"is_private": True, "trusted_user_ids": [(4, self.user_head.id)]})
        self.assertTrue(self.visible(self.user_head, self.client_dept))

    @mute_logger(ONCHANGE_LOGGER)
    def test_head_creates_a_private_client_for_another_curator(self):
        form = Form(self.env["res.partner"].with_user(self.user_head))
        form.company_type = "company"
        form.name = "Private for dept"
        form.user_id = self.user_dept
        form.is_private = True
        client = form.save()
        client = client.sudo()
        self.assertTrue(client.is_private)
        self.assertEqual(client.user_id, self.user_dept)
        self.assertTrue(self.visible(self.user_dept, client))

    def test_the_form_warns_before_saving(self):
        client = self.client_dept.with_user(self.user_admin)
        new = client.new({"is_private": True, "user_id": self.user_dept.id}, origin=client)
        warning = new._onchange_client_guard_privacy()
        self.assertIn("warning", warning)
        new.trusted_user_ids = self.user_admin
        self.assertFalse(new._onchange_client_guard_privacy())

    def test_refused_without_the_right(self):
        """Still refused for a salesperson, nothing changed."""
        client = self.client_own.with_user(self.user_own)
        with self.assertRaises(UserError):
            client.write({"is_private": True})
        self.assertFalse(self.client_own.is_private)
