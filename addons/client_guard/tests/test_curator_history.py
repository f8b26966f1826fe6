import base64

from odoo.tests import tagged

from .common import ClientGuardCase


@tagged("post_install", "-at_install")
class TestCuratorHistory(ClientGuardCase):
    def test_history_on_create_and_change(self):
        client = self.env["res.partner"].create(
            {"name": "Hist", "is_company": True, "user_id": self.user_own.id, "team_id": self.team_a.id})
        self.assertEqual(client.curator_history_ids.user_id, self.user_own)
        client.with_user(self.user_head).write({"user_id": self.user_dept.id})
        lines = client.curator_history_ids.sorted("id")
        self.assertEqual(len(lines), 2)
        self.assertTrue(lines[0].date_to, "the previous curatorship is closed")
        self.assertEqual(lines[1].user_id, self.user_dept)
        self.assertEqual(lines[1].previous_user_id, self.user_own)
        self.assertEqual(lines[1].changed_by_id, self.user_head)
        self.assertFalse(lines[1].date_to)
        # contacts do not get their own lines
        contact = self.env["res.partner"].create({"name": "C", "parent_id": client.id})
        self.assertFalse(contact.curator_history_ids)

    def test_history_from_mass_write_and_sudo(self):
        clients = self.client_own | self.client_dept
        before = self.env["res.partner.curator.history"].search_count([("partner_id", "in", clients.ids)])
        clients.sudo().write({"user_id": self.user_all.id})
        after = self.env["res.partner.curator.history"].search_count([("partner_id", "in", clients.ids)])
        self.assertEqual(after - before, 2)

    def test_history_from_import(self):
        csv = "id,name,user_id/id\n"
        result = self.env["res.partner"].load(
            ["name", "user_id/.id"], [["Imported client", str(self.user_own.id)]])
        self.assertFalse(result["messages"], result["messages"])
        partner = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(partner.curator_history_ids.user_id, self.user_own)
        self.assertTrue(base64.b64encode(csv.encode()))

    def test_no_line_when_curator_unchanged(self):
        count = len(self.client_own.curator_history_ids)
        self.client_own.with_user(self.user_head).write({"user_id": self.user_own.id})
        self.assertEqual(len(self.client_own.curator_history_ids), count)
