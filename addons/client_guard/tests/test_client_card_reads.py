from odoo.exceptions import AccessError
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
        # no trusted user: the flag read with the client's columns answers (no query), else the
        # relation table, not the users' rules (and the client's own rule check)
        client = self.client_own.with_user(self.user_dept)
        self.assertTrue(client.name)
        client.invalidate_recordset(["trusted_user_ids"])
        with self.assertQueryCount(0):
            self.assertFalse(client.trusted_user_ids)
        client.invalidate_recordset(["trusted_user_ids", "client_guard_has_trusted_users"])
        with self.assertQueryCount(1):  # the flag comes with the trusted users' fetch
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

    def test_trusted_flag_follows_the_users(self):
        """The flag that spares the query is computed from the trusted users
        (contacts too, a commercial field); the card shows the same users
        with the flag known or not."""
        client = self.client_dept
        self.assertFalse(client.client_guard_has_trusted_users)
        client.trusted_user_ids = [(4, self.user_head.id)]
        contact = self.env["res.partner"].create({"name": "Contact of dept", "parent_id": client.id})
        self.assertTrue(client.client_guard_has_trusted_users)
        self.assertTrue(contact.client_guard_has_trusted_users)
        self.assertTrue(self.client_private.client_guard_has_trusted_users)
        for fetch_flag in (True, False):
            self.env.invalidate_all()
            dept_client = client.with_user(self.user_dept)
            if fetch_flag:
                dept_client.fetch(["name"])  # the columns, the flag among them
            [values] = dept_client.web_read({"trusted_user_ids": {"fields": {"display_name": {}}}})
            self.assertEqual([user["id"] for user in values["trusted_user_ids"]], self.user_head.ids)
        # an archived trusted user is still a row of the relation: shown with active_test=False
        self.user_head.active = False
        client.invalidate_recordset(["trusted_user_ids"])
        self.assertTrue(client.client_guard_has_trusted_users)
        self.env.invalidate_all()
        self.assertEqual(client.with_context(active_test=False).trusted_user_ids, self.user_head)
        self.assertFalse(client.trusted_user_ids)
        self.user_head.active = True
        client.trusted_user_ids = [(5, 0, 0)]
        self.assertFalse(client.client_guard_has_trusted_users)
        self.assertFalse(contact.client_guard_has_trusted_users)
        self.env.invalidate_all()
        [values] = client.with_user(self.user_dept).web_read({"trusted_user_ids": {"fields": {}}})
        self.assertEqual(values["trusted_user_ids"], [])

    def test_checked_once_per_call_only_what_was_found(self):
        """Within one web_read, lines and clients found under the record rules
        are not checked again; lines or clients the user may not read stay
        refused, before, during and after such a call, and nothing changes."""
        self.client_b.user_id = self.user_all
        History = self.env["res.partner.curator.history"]
        hidden_lines = History.search([("partner_id", "=", self.client_b.id)])
        self.assertTrue(hidden_lines)
        spec = {"curator_history_ids": {"fields": {"user_id": {"fields": {"display_name": {}}}}},
                "name": {}}
        [values] = self.client_dept.with_user(self.user_dept).web_read(spec)
        self.assertTrue(values["curator_history_ids"])
        before = [(line.id, line.user_id.id, line.date_to) for line in hidden_lines]
        for reader in (self.user_dept, self.user_own):
            with self.assertRaises(AccessError):
                hidden_lines.with_user(reader).web_read({"user_id": {"fields": {"display_name": {}}}})
            with self.assertRaises(AccessError):
                hidden_lines.with_user(reader).read(["user_id"])
            with self.assertRaises(AccessError):
                self.client_b.with_user(reader).web_read(spec)
        # the department user reads the client of their department, not another's, in one call
        with self.assertRaises(AccessError):
            (self.client_dept | self.client_b).with_user(self.user_dept).web_read(spec)
        self.assertEqual([(line.id, line.user_id.id, line.date_to) for line in hidden_lines], before)
