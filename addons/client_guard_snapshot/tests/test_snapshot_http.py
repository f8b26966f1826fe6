from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSnapshotHttp(HttpCase):
    """The files cannot be downloaded by a salesperson through /web/content."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(cls.env, "snap_sales", groups="base.group_user,client_guard.group_scope_own")
        new_test_user(cls.env, "snap_officer", groups="base.group_user,client_guard.group_security_officer")
        cls.snapshot = cls.env["client_guard.snapshot"]._take_snapshot()
        cls.attachments = cls.env["ir.attachment"].search([
            ("res_model", "=", "client_guard.snapshot"), ("res_id", "=", cls.snapshot.id),
            ("res_field", "!=", False),
        ])

    def urls(self):
        yield from (f"/web/content/{attachment.id}" for attachment in self.attachments)
        yield from (f"/web/content/client_guard.snapshot/{self.snapshot.id}/{field}" for field in ("xlsx_file",
                                                                                                 "csv_file"))
        yield f"/web/content/client_guard.snapshot/{self.snapshot.id}/csv_file?download=true"

    def test_web_content(self):
        self.assertEqual(len(self.attachments), 2)
        self.authenticate("snap_sales", "snap_sales")
        for url in self.urls():
            response = self.url_open(url)
            self.assertIn(response.status_code, (403, 404), url)
            self.assertNotIn(b"PK", response.content[:2])
        self.authenticate("snap_officer", "snap_officer")
        for url in self.urls():
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
