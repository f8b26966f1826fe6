from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.osv import expression
from odoo.tests import new_test_user, tagged

from .common import ClientGuardCase


@tagged("post_install", "-at_install")
class TestRuleSql(ClientGuardCase):
    """The SQL of record rules kept for the cursor (``base_rules``): the
    rows a user finds are those of Odoo's own parse of the rules, at every
    search of the same cursor, whatever changed in between."""

    def odoo_rows(self, user, model, domain=()):
        """What Odoo's own parse of the user's rules finds (the rules' domain
        searched as superuser: nothing kept)."""
        rules = self.env["ir.rule"].with_user(user)._compute_domain(model, "read")
        return self.env[model].sudo().with_context(active_test=False).search(
            expression.AND([list(domain), rules or []])).ids

    def user_rows(self, user, model, domain=()):
        return self.env[model].with_user(user).with_context(active_test=False).search(list(domain)).ids

    def kept_keys(self, model):
        return [key for key in self.env.cr.cache if isinstance(key, tuple) and key[:2] == (
            "client_guard_rule_sql", model)]

    def test_same_rows_as_odoo(self):
        self.client_dept.user_id = self.user_head  # curator history lines
        users = (self.user_own, self.user_own2, self.user_dept, self.user_all, self.user_lg, self.user_head,
                 self.user_admin, self.user_plain)
        domains = ([], [("is_company", "=", True)], [("name", "ilike", "client")])
        for model in ("res.partner", "crm.lead", "res.partner.curator.history"):
            for user in users:
                if not self.env[model].with_user(user).has_access("read"):
                    continue
                for domain in domains if model == "res.partner" else ([],):
                    expected = sorted(self.odoo_rows(user, model, domain))
                    for _round in range(2):  # parsed, then kept
                        self.assertEqual(sorted(self.user_rows(user, model, domain)), expected,
                                         f"{model} as {user.login}: {domain}")
        self.assertTrue(self.kept_keys("res.partner"))

    def test_changes_in_the_same_cursor(self):
        """A user moved to another department, a client made private: the
        next search of the same cursor follows (the key holds the rules'
        domain for the user, values included)."""
        scope = [("id", "in", self.clients.ids)]

        def found():
            rows = set(self.user_rows(self.user_dept, "res.partner", scope))
            self.assertEqual(rows, set(self.odoo_rows(self.user_dept, "res.partner", scope)))
            return rows

        self.assertEqual(found(), {self.client_own.id, self.client_dept.id})
        self.team_a.member_ids = [(3, self.user_dept.id)]
        self.team_b.member_ids = [(4, self.user_dept.id)]
        self.env.invalidate_all()
        self.assertEqual(found(), {self.client_b.id, self.client_dept.id}, "and the client they curate")
        self.client_b.is_private = True
        self.env.invalidate_all()
        self.assertEqual(found(), {self.client_dept.id})
        self.client_b.trusted_user_ids = [(4, self.user_dept.id)]
        self.env.invalidate_all()
        self.assertEqual(found(), {self.client_b.id, self.client_dept.id})

    def test_hierarchy_moved_in_the_same_cursor(self):
        """A rule naming a node of a hierarchy (``parent_of``): the node
        moved in the tree, the next search of the same cursor follows."""
        Category = self.env["res.partner.category"]
        root_a, root_b = Category.create([{"name": "Root A"}, {"name": "Root B"}])
        node = Category.create({"name": "Node", "parent_id": root_a.id})
        group = self.env["res.groups"].create({"name": "Rule SQL test group"})
        user = new_test_user(self.env, "cg_rule_sql", groups="base.group_user")
        user.groups_id = [(4, group.id)]
        self.env["ir.rule"].create({
            "name": "ancestors of the node", "model_id": self.env.ref("base.model_res_partner_category").id,
            "domain_force": f"[('id', 'parent_of', [{node.id}])]", "groups": [(6, 0, group.ids)],
        })
        Categories = Category.with_user(user)
        scope = [("id", "in", (root_a | root_b | node).ids)]
        self.assertEqual(Categories.search(scope), root_a | node)
        self.assertEqual(Categories.search(scope), root_a | node)
        node.parent_id = root_b
        self.assertEqual(Categories.search(scope), root_b | node)

    def test_same_queries_as_odoo(self):
        """A search whose rules are kept runs the queries Odoo's parse would
        (the companies of the multi-company rule read as Odoo reads them),
        so a query count measured with Odoo's parse holds."""
        Partner = self.env["res.partner"].with_user(self.user_dept)
        Partner.search([("id", "=", self.client_dept.id)])  # Odoo's caches of rules and groups
        counts = []
        for kept in (False, True):
            if not kept:
                for key in self.kept_keys("res.partner"):
                    del self.env.cr.cache[key]
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.assertEqual(Partner.search([("id", "=", self.client_dept.id)]), self.client_dept)
            counts.append(self.env.cr.sql_log_count - before)
            self.assertTrue(self.kept_keys("res.partner"))
        self.assertEqual(counts[0], counts[1])
        self.assertGreater(counts[0], 1, "the companies' parent path, then the search")

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.sampled_from([
        ("is_company", "=", True), ("user_id", "=", "uid"), ("team_id", "in", "teams"),
        ("user_id.login", "ilike", "cg_"), ("parent_id", "any", [("is_company", "=", True)]),
        ("category_id", "=", False), ("user_id", "=", "Marc"), ("commercial_partner_id", "child_of", "clients"),
        ("company_id", "parent_of", "companies"), ("is_private", "!=", True), ("display_name", "ilike", "of"),
    ]), min_size=1, max_size=4), st.sampled_from(["&", "|"]))
    def test_generated_rules(self, leaves, operator):
        """Any rule, among stored and non-stored fields, paths, ids and
        names, hierarchies: the same rows as Odoo's own parse, twice."""
        values = {"uid": self.user_own.id, "teams": self.team_a.ids, "clients": self.clients.ids,
                  "companies": self.env.company.ids}
        domain = [operator] * (len(leaves) - 1) + [
            (left, op, values.get(right, right) if isinstance(right, str) else right) for left, op, right in leaves]
        group = self.env["res.groups"].create({"name": "Generated rule group"})
        self.user_own.groups_id = [(4, group.id)]
        rule = self.env["ir.rule"].create({"name": "generated", "model_id": self.env.ref("base.model_res_partner").id,
                                           "domain_force": repr(domain), "groups": [(6, 0, group.ids)]})
        try:
            expected = sorted(self.odoo_rows(self.user_own, "res.partner"))
            for _round in range(2):
                self.assertEqual(sorted(self.user_rows(self.user_own, "res.partner")), expected, domain)
        finally:
            rule.unlink()
            self.user_own.groups_id = [(3, group.id)]
            group.unlink()
