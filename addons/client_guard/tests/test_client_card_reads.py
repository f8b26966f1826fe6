from odoo.tests import tagged

from .common import ClientGuardCase


@tagged("post_install", "-at_install")
class TestClientCardReads(ClientGuardCase):
    """The client card's trusted users and curator history, read in fewer
    queries: the same values as Odoo's own reading."""

    def test_trusted_users_read(self):
        partners = self.clients | self.contact_private | self.contact_own
        self.env.invalidate_all()
        values = {p.id: set(p.trusted_user_ids.ids) for p in partners.sudo()}
        self.env.cr.execute("SELECT partner_id, user_id FROM res_partner_trusted_user_rel WHERE partner_id = ANY(%s)",
                            [partners.ids])
        expected = {pid: set() for pid in partners.ids}
        for pid, uid in self.env.cr.fetchall():
            expected[pid].add(uid)
        self.assertEqual(values, expected)
        self.assertEqual(expected[self.client_private.id], {self.user_head.id})
        self.assertEqual(expected[self.contact_private.id], {self.user_head.id}, "a commercial field")
        self.env.invalidate_all()
        self.assertEqual(self.client_private.with_user(self.user_head).trusted_user_ids, self.user_head)
        # no trusted user: the relation table answers, not the users' rules (and the client's own rule check)
        client = self.client_own.with_user(self.user_dept)
        self.assertTrue(client.name)
        client.invalidate_recordset(["trusted_user_ids"])
        with self.assertQueryCount(2):
            self.assertFalse(client.trusted_user_ids)

    def test_history_on_the_card(self):
        self.client_dept.user_id = self.user_head
        self.client_dept.user_id = self.user_dept
        self.env.invalidate_all()
        spec = {"curator_history_ids": {"fields": {
            "user_id": {"fields": {"display_name": {}}}, "date_from": {}, "date_to": {},
            "previous_user_id": {"fields": {"display_name": {}}},
            "changed_by_id": {"fields": {"display_name": {}}}}}}
        [values] = self.client_dept.with_user(self.user_dept).web_read(spec)
        lines = values["curator_history_ids"]
        self.assertEqual([line["user_id"]["display_name"] for line in lines],
                         [self.user_dept.name, self.user_head.name, self.user_dept.name], "newest first")
        self.assertEqual(lines[0]["previous_user_id"]["display_name"], self.user_head.name)
        self.assertFalse(lines[0]["date_to"])
        # a user who may not read the client reads none of its history
        self.assertFalse(self.env["res.partner.curator.history"].with_user(self.user_own2).search(
            [("partner_id", "=", self.client_dept.id)]))
