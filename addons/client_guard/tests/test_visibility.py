from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import ClientGuardCase


@tagged("post_install", "-at_install")
class TestVisibility(ClientGuardCase):
    def test_own_level_sees_own_clients_only(self):
        self.assertEqual(self.visible(self.user_own), self.client_own | self.client_private)
        with self.assertRaises(AccessError):
            self.client_b.with_user(self.user_own).read(["name"])
        # contacts follow their company
        self.assertEqual(self.contact_own.user_id, self.user_own)
        self.assertTrue(self.env["res.partner"].with_user(self.user_own).search([("id", "=", self.contact_own.id)]))

    def test_department_level_sees_department(self):
        self.assertEqual(self.visible(self.user_dept), self.client_own | self.client_dept)

    def test_extra_departments(self):
        self.assertEqual(self.visible(self.user_lg), self.client_b)
        self.user_lg.extra_team_ids = [(5, 0, 0)]
        self.assertFalse(self.visible(self.user_lg))

    def test_team_leader_sees_department(self):
        leader = new_test_user(self.env, "cg_leader", groups="base.group_user,client_guard.group_scope_department")
        self.assertFalse(self.visible(leader))
        self.team_a.user_id = leader
        self.env.invalidate_all()
        self.assertEqual(self.visible(leader), self.client_own | self.client_dept)

    def test_all_level_sees_all_but_private(self):
        self.assertEqual(self.visible(self.user_all), self.client_own | self.client_dept | self.client_b)

    def test_non_clients_stay_visible(self):
        Partner = self.env["res.partner"].with_user(self.user_own)
        self.assertTrue(Partner.search([("id", "=", self.user_own2.partner_id.id)]))
        self.assertTrue(Partner.search([("id", "=", self.env.company.partner_id.id)]))
        self.assertFalse(self.user_own2.partner_id.is_client)
        self.assertFalse(self.env.company.partner_id.is_client)

    def test_user_without_level_keeps_standard_visibility(self):
        self.assertEqual(self.visible(self.user_plain), self.client_own | self.client_dept | self.client_b)

    def test_private_client_hidden_from_admin(self):
        self.assertNotIn(self.client_private, self.visible(self.user_admin))
        with self.assertRaises(AccessError):
            self.client_private.with_user(self.user_admin).read(["name"])
        with self.assertRaises(AccessError):
            self.contact_private.with_user(self.user_admin).read(["name"])
        self.assertFalse(self.env["res.partner"].with_user(self.user_admin).name_search("Private client"))

    def test_private_client_seen_by_curator_and_trusted(self):
        self.assertIn(self.client_private, self.visible(self.user_own))
        self.assertIn(self.client_private, self.visible(self.user_head))
        self.assertNotIn(self.client_private, self.visible(self.user_dept))
        self.assertNotIn(self.client_private, self.visible(self.user_all))

    def test_private_client_satellites_hidden(self):
        """Opportunities, activities, messages and attachments of a private client follow it."""
        lead = self.env["crm.lead"].create({
            "name": "Deal with private", "partner_id": self.client_private.id, "user_id": self.user_own.id,
        })
        activity = self.client_private.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.user_own.id, summary="Secret call")
        message = self.client_private.message_post(body="Secret note", message_type="comment")
        attachment = self.env["ir.attachment"].create({
            "name": "secret.txt", "raw": b"secret", "res_model": "res.partner", "res_id": self.client_private.id,
        })
        history = self.client_private.curator_history_ids
        self.assertTrue(history)
        for user in (self.user_admin, self.user_all):
            self.assertFalse(self.env["crm.lead"].with_user(user).search([("id", "=", lead.id)]))
            self.assertFalse(self.env["mail.activity"].with_user(user).search([("id", "=", activity.id)]))
            self.assertFalse(self.env["ir.attachment"].with_user(user).search([("id", "=", attachment.id)]))
            self.assertFalse(self.env["res.partner.curator.history"].with_user(user).search(
                [("id", "in", history.ids)]))
            with self.assertRaises(AccessError):
                lead.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                attachment.with_user(user).read(["raw"])
            messages = self.env["mail.message"].with_user(user).search([("id", "=", message.id)])
            self.assertFalse(messages)
        # the curator still sees all of it
        self.assertTrue(self.env["crm.lead"].with_user(self.user_own).search([("id", "=", lead.id)]))
        self.assertTrue(self.env["mail.activity"].with_user(self.user_own).search([("id", "=", activity.id)]))

    def test_superuser_code_sees_private(self):
        self.assertIn(self.client_private, self.env["res.partner"].sudo().search([("id", "in", self.clients.ids)]))


@tagged("post_install", "-at_install")
class TestVisibilityKey(ClientGuardCase):
    """The global rule on the visibility key (``rule_partner_scope_key``)
    narrows to the departments a user may reach; it must never hide what the
    level rules allow, also when a client is curated from outside its
    department or has no department (issue 13)."""

    def test_key_values(self):
        self.assertEqual(self.client_own.client_guard_scope_key, self.team_a.id)
        self.assertEqual(self.contact_own.client_guard_scope_key, self.team_a.id)  # contacts follow their company
        self.assertEqual(self.client_b.client_guard_scope_key, self.team_b.id)
        self.assertEqual(self.user_own.partner_id.client_guard_scope_key, -1)  # not a client
        self.assertEqual(self.env.company.partner_id.client_guard_scope_key, -1)
        loose = self.env["res.partner"].create({"name": "No department", "user_id": self.user_own.id})
        self.assertEqual(loose.client_guard_scope_key, -2)
        self.client_b.team_id = self.team_a
        self.assertEqual(self.client_b.client_guard_scope_key, self.team_a.id)

    def test_client_curated_from_outside_its_department(self):
        self.assertNotIn(self.client_b, self.visible(self.user_own))  # rule domain cached for user_own
        self.client_b.user_id = self.user_own  # department B stays; user_own is in A
        self.assertIn(self.client_b, self.visible(self.user_own))
        self.assertEqual(self.client_b.with_user(self.user_own).read(["name"])[0]["name"], "Client of B")
        self.assertNotIn(self.client_b, self.visible(self.user_own2))
        self.assertNotIn(self.client_b, self.visible(self.user_dept))  # department A's user: not theirs
        self.assertIn(self.client_b, self.visible(self.user_lg))  # extra department B

    def test_client_without_department(self):
        loose = self.env["res.partner"].create({"name": "No department", "is_company": True,
                                                "user_id": self.user_own.id})
        self.assertFalse(loose.team_id)
        self.assertIn(loose, self.visible(self.user_own, loose))
        self.assertNotIn(loose, self.visible(self.user_dept, loose))
        self.assertIn(loose, self.visible(self.user_all, loose))

    def test_count_answered_from_the_index(self):
        """The department user's count is an index range on the key, not a
        scan of the table."""
        query = self.env["res.partner"].with_user(self.user_dept)._search([], limit=10001)
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("client_guard_scope_key = ANY", plan)
        self.assertNotIn("client_guard_scope_key IS NULL", plan)

    def test_own_level_reads_its_clients_not_its_departments(self):
        """An own-level user's rows are their clients and the non-clients: the
        global rule names the curator, so PostgreSQL probes the curator's
        index instead of reading every client of the department (the load
        test's salespeople list their 2,000 clients out of 10,000)."""
        query = self.env["res.partner"].with_user(self.user_own)._search([], limit=10001)
        sql = query.select().code
        self.assertNotIn("client_guard_scope_key\" IN", sql)
        self.assertIn("client_guard_scope_key\" = ", sql)
        self.assertIn("res_partner\".\"user_id\" IN", sql)
        # department users keep the range of their departments
        query = self.env["res.partner"].with_user(self.user_dept)._search([], limit=10001)
        self.assertIn("client_guard_scope_key\" IN", query.select().code)

    @settings(max_examples=25, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3), st.booleans()), min_size=4, max_size=4))
    def test_key_rule_hides_nothing_the_levels_allow(self, placements):
        """Any curator (or none), any department (or none), private or not:
        each user sees exactly what the level rules and the private rule say."""
        users = [self.user_own, self.user_own2, self.user_dept, self.user_lg, self.user_head, False]
        teams = [self.team_a, self.team_b, self.team_lg, False]
        savepoint = self.env.cr.savepoint()
        try:
            clients = self.client_own | self.client_dept | self.client_b | self.client_private
            for client, (curator, team, private) in zip(clients, placements, strict=True):
                client.write({"user_id": users[curator] and users[curator].id,
                              "team_id": teams[team] and teams[team].id,
                              "is_private": private})
            for user in (self.user_own, self.user_own2, self.user_dept, self.user_lg, self.user_head, self.user_all):
                department = user.has_group("client_guard.group_scope_department")
                everything = user.has_group("client_guard.group_scope_all")
                expected = clients.filtered(lambda c, u=user, d=department, a=everything: (
                    a or c.user_id == u or (d and c.team_id in u.client_guard_team_ids))
                    and (not c.is_private or c.user_id == u or u in c.trusted_user_ids))
                self.assertEqual(self.visible(user, clients), expected, user.login)
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()
