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

    def test_departments_of_several_users_read_together(self):
        """The departments of several users computed at once (a PBX batch's curators) are those each
        user's own computation gives, in the same order (the first is a new client's default
        department), and the teams they lead are looked up in one query for all of them."""
        Team = self.env["crm.team"]
        leader = new_test_user(self.env, "cg_leader_many", groups="base.group_user,client_guard.group_scope_department")
        led = Team.create([{"name": f"Led {i}", "sequence": 30 - i, "user_id": leader.id} for i in range(3)])
        self.team_b.user_id = self.user_dept
        users = self.user_own | self.user_dept | self.user_lg | self.user_all | leader
        self.env.invalidate_all()
        one_by_one = {user.id: self.env["res.users"].browse(user.id).client_guard_team_ids.ids for user in users}
        self.assertEqual(one_by_one[leader.id], Team.search([("user_id", "=", leader.id)]).ids)
        self.assertEqual(one_by_one[leader.id], led.sorted(lambda t: t.sequence).ids)
        self.assertEqual(one_by_one[self.user_dept.id], [self.team_a.id, self.team_b.id])
        self.env.invalidate_all()
        users = self.env["res.users"].browse(users.ids)
        with self.assertQueryCount(__system__=6):  # a search per user before: 10
            together = {user.id: user.client_guard_team_ids.ids for user in users}
        self.assertEqual(together, one_by_one)

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


@tagged("post_install", "-at_install")
class TestRuleShapes(ClientGuardCase):
    """The rules every user pays for (administrators included) are shaped so
    that PostgreSQL answers them from a few rows of an index, not from every
    readable client (issue 13): the private rule on opportunities and on the
    curator history names the private clients hidden from the user."""

    def _lead(self, partner, user=None):
        return self.env["crm.lead"].create({"name": f"Deal with {partner.name}", "partner_id": partner.id,
                                            "user_id": (user or self.user_own).id, "type": "opportunity"})

    def test_private_rule_names_the_hidden_private_clients(self):
        """The rule's sub-query selects the private clients hidden from the
        user (archived ones included), not every client the user may read:
        PostgreSQL hashes a handful of ids read from the partial index of
        private clients (``res_partner_client_guard_private_index``)."""
        archived = self.env["res.partner"].create({"name": "Archived private", "is_private": True,
                                                   "user_id": self.user_own2.id, "active": False})
        hidden = self.client_private | self.contact_private | archived
        for user, expected in ((self.user_admin, hidden), (self.user_all, hidden),
                               (self.user_head, archived), (self.user_own, archived),
                               (self.user_own2, self.client_private | self.contact_private)):
            domain = self.env["ir.rule"].with_user(user)._compute_domain("crm.lead", "read")
            subdomains = [leaf[2] for leaf in domain if isinstance(leaf, (list, tuple)) and len(leaf) == 3
                          and leaf[:2] == ("partner_id", "not any")]
            self.assertEqual(len(subdomains), 1, user.login)
            named = self.env["res.partner"].sudo().search(
                [*subdomains[0], ("id", "in", (self.clients | self.contact_private | self.contact_own | archived).ids)])
            self.assertEqual(named, expected, user.login)

    def test_archived_private_client_deals_stay_hidden(self):
        lead = self._lead(self.client_private)
        history = self.client_private.curator_history_ids
        self.client_private.action_archive()
        for user in (self.user_admin, self.user_all, self.user_dept):
            self.assertFalse(self.env["crm.lead"].with_user(user).search([("id", "=", lead.id)]), user.login)
            self.assertFalse(self.env["res.partner.curator.history"].with_user(user).search(
                [("id", "in", history.ids)]), user.login)
        # the curator and the trusted head keep them
        self.assertTrue(self.env["crm.lead"].with_user(self.user_own).search([("id", "=", lead.id)]))
        self.assertTrue(self.env["res.partner.curator.history"].with_user(self.user_head).search(
            [("id", "in", history.ids)]))

    def test_archived_client_deals_as_in_odoo(self):
        """An archived client that is not private: its opportunities and its
        curator history stay readable to the administrator, as without the
        suite (the rules are about private clients and levels, not about
        archiving); the levels still apply."""
        lead = self._lead(self.client_b, self.user_own2)
        history = self.client_b.curator_history_ids
        self.assertTrue(history)
        self.client_b.action_archive()
        self.assertTrue(self.env["crm.lead"].with_user(self.user_admin).search([("id", "=", lead.id)]))
        self.assertTrue(self.env["res.partner.curator.history"].with_user(self.user_admin).search(
            [("id", "in", history.ids)]))
        self.assertFalse(self.env["crm.lead"].with_user(self.user_dept).search([("id", "=", lead.id)]))

    def test_deal_rules_follow_their_client_at_once(self):
        """The rules on opportunities read the client's key, curator and
        private flag copied on the opportunity: a change of the client's
        department, curator or private flag moves its unassigned opportunity
        in and out of each level in the same transaction."""
        lead = self.env["crm.lead"].create({"name": "Unassigned", "partner_id": self.client_b.id,
                                            "user_id": False, "type": "opportunity"})

        def sees(user):
            return bool(self.env["crm.lead"].with_user(user).search([("id", "=", lead.id)]))

        self.assertFalse(sees(self.user_dept))
        self.assertFalse(sees(self.user_own))
        self.client_b.team_id = self.team_a
        self.assertTrue(sees(self.user_dept))
        self.assertFalse(sees(self.user_own))
        self.client_b.user_id = self.user_own
        self.assertTrue(sees(self.user_own))
        self.client_b.is_private = True
        self.assertFalse(sees(self.user_dept))
        self.assertFalse(sees(self.user_admin))
        self.assertTrue(sees(self.user_own))
        self.client_b.is_private = False
        self.assertTrue(sees(self.user_dept))
        lead.partner_id = self.client_private
        self.assertFalse(sees(self.user_dept))
        self.assertTrue(sees(self.user_head))  # trusted

    def test_merged_client_deals_follow_the_kept_client(self):
        """The partner merge wizard moves opportunities in SQL: their copies
        of the client's flags follow the client that is kept."""
        lead = self._lead(self.client_b, self.user_own2)
        self.assertTrue(self.env["crm.lead"].with_user(self.user_admin).search([("id", "=", lead.id)]))
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((self.client_b | self.client_private).ids, self.client_private, extra_checks=False)
        self.assertEqual(lead.partner_id, self.client_private)
        self.assertFalse(self.env["crm.lead"].with_user(self.user_admin).search([("id", "=", lead.id)]))
        self.assertTrue(self.env["crm.lead"].with_user(self.user_head).search([("id", "=", lead.id)]))

    def test_deals_without_client_stay_visible(self):
        lead = self.env["crm.lead"].create({"name": "No client", "type": "opportunity", "user_id": False})
        for user in (self.user_admin, self.user_all, self.user_dept, self.user_own):
            self.assertTrue(self.env["crm.lead"].with_user(user).search([("id", "=", lead.id)]), user.login)

    def test_progress_bar_reads_no_client(self):
        """Grouping by a selection whose values are written in the code (the
        pipeline's progress bar: the activities' state) costs the door no
        lookup of the grouped records and their clients: the same queries
        as grouping without it."""
        for partner in self.client_own | self.client_dept:
            self._lead(partner).activity_schedule("mail.mail_activity_data_todo", user_id=self.user_own.id)
        Lead = self.env["crm.lead"].with_user(self.user_admin)

        def queries(groupby):
            Lead.read_group([], ["__count"], groupby, lazy=False)  # warm-up: rule domains, caches
            self.env.invalidate_all()
            count = self.cr.sql_log_count
            groups = Lead.read_group([], ["__count"], groupby, lazy=False)
            return self.cr.sql_log_count - count, groups

        plain, _groups = queries(["stage_id"])
        with_bar, groups = queries(["stage_id", "activity_state"])
        self.assertEqual(with_bar, plain)
        self.assertEqual(sum(g["__count"] for g in groups), Lead.search_count([]))
        self.assertIn("planned", {g["activity_state"] for g in groups})
