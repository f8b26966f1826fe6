import xmlrpc.client

from odoo.tests import HttpCase, get_db_name, new_test_user, tagged


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

    def test_xmlrpc_refused(self):
        """Over XML-RPC a salesperson gets neither snapshots nor their files,
        and cannot take a snapshot or open the restore wizard."""
        db = get_db_name()
        uid = self.xmlrpc_common.authenticate(db, "snap_sales", "snap_sales", {})
        self.assertTrue(uid)

        def call(model, method, *args, **kwargs):
            return self.xmlrpc_object.execute_kw(db, uid, "snap_sales", model, method, list(args), kwargs)

        count = self.env["client_guard.snapshot"].search_count([])
        for model, method, args, kwargs in [
            ("client_guard.snapshot", "search_read", [[]], {"fields": ["name"]}),
            ("client_guard.snapshot", "read", [self.snapshot.ids, ["xlsx_file"]], {}),
            ("client_guard.snapshot", "action_take_snapshot", [[]], {}),
            ("client_guard.snapshot.restore", "create", [{"snapshot_id": self.snapshot.id}], {}),
            ("ir.attachment", "read", [self.attachments.ids, ["datas"]], {}),
        ]:
            with self.assertRaises(xmlrpc.client.Fault, msg=f"{model}.{method}"):
                call(model, method, *args, **kwargs)
        self.assertEqual(call("ir.attachment", "search_read", [("res_model", "=", "client_guard.snapshot")],
                              fields=["name"]), [])
        self.assertEqual(call("ir.attachment", "search_read", [("id", "in", self.attachments.ids)],
                              fields=["name"]), [])
        self.assertEqual(self.env["client_guard.snapshot"].search_count([]), count)
