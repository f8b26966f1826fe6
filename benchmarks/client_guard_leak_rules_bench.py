#!/usr/bin/env python3
"""Cost of the rules that close the opportunity and follower leak paths
(found by tests/test_leaks_*.py) on 100,000 clients.

Fills the database of ``client_guard_bench.py`` (100,000 clients, 10
departments, 50 department-level curators), adds 30,000 opportunities (a
fifth with no salesperson) and one follower per client, then prints, for a
department-level user, with the opportunity rule and the follower filter on
and off, and for the administrator:
- the opportunity list's first page (``web_search_read``, 80 rows);
- the followers of one client (what the chatter asks), and a search of the
  followers of a partner over all documents.

Usage: python3 benchmarks/client_guard_leak_rules_bench.py [--db bench_client_guard_leaks] [--reuse]
"""

import argparse
import os
import time
from unittest.mock import patch

from _odoo import install, registry
from client_guard_bench import populate, timed

LEAD_SPEC = {"name": {}, "partner_id": {"fields": {"display_name": {}}}, "email_from": {}, "phone": {},
             "user_id": {"fields": {"display_name": {}}}, "expected_revenue": {}, "stage_id": {}}


def populate_leads(env, leads=30_000):
    cr = env.cr
    cr.execute("SELECT id FROM res_partner WHERE name LIKE 'Client %%' ORDER BY id")
    clients = cr.fetchall()
    # the client's department (client_guard), else the curator's first team (OCA's module, for comparison)
    team = "c.team_id" if "team_id" in env["res.partner"]._fields else (
        "(SELECT m.crm_team_id FROM crm_team_member m WHERE m.user_id = c.user_id ORDER BY m.id LIMIT 1)")
    cr.execute(
        f"""
        INSERT INTO crm_lead (name, type, active, partner_id, user_id, team_id, email_from, phone,
                              expected_revenue, probability, create_date, write_date, create_uid, write_uid)
        SELECT 'Deal ' || g, 'opportunity', true, c.id, CASE WHEN g %% 5 = 0 THEN NULL ELSE c.user_id END,
               {team}, c.email, c.phone, 1000 * (g %% 50), 10, now(), now(), 1, 1
          FROM generate_series(1, %(leads)s) g
          JOIN res_partner c ON c.id = (%(ids)s)[1 + (g * 7) %% %(n)s]
        """,
        {"leads": leads, "ids": [c[0] for c in clients], "n": len(clients)},
    )
    cr.execute(
        """
        INSERT INTO mail_followers (res_model, res_id, partner_id)
        SELECT 'res.partner', c.id, u.partner_id
          FROM res_partner c JOIN res_users u ON u.id = c.user_id
         WHERE c.name LIKE 'Client %%'
        """
    )
    cr.execute("ANALYZE crm_lead")
    cr.execute("ANALYZE mail_followers")
    env.invalidate_all()


def measure(env, user, client_id, follower_partner_id):
    leads = env["crm.lead"].with_user(user).with_context(lang="en_US")
    followers = env["mail.followers"].with_user(user)

    def lead_page():
        leads.web_search_read([("type", "=", "opportunity")], LEAD_SPEC, limit=80)
        env.invalidate_all()

    def chatter_followers():
        followers.search_read([("res_model", "=", "res.partner"), ("res_id", "=", client_id)], ["partner_id"])
        env.invalidate_all()

    def partner_followings():
        followers.search([("partner_id", "=", follower_partner_id)], limit=80)
        env.invalidate_all()

    return timed(lead_page), timed(chatter_followers), timed(partner_followings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_client_guard_leaks")
    parser.add_argument("--reuse", action="store_true", help="reuse a database filled by a previous run")
    args = parser.parse_args()
    os.environ["PGOPTIONS"] = "-c jit=off"
    if not args.reuse:
        install(args.db, "client_guard")
    reg = registry(args.db)
    with reg.cursor() as cr:
        from odoo import SUPERUSER_ID, api  # noqa: PLC0415

        env = api.Environment(cr, SUPERUSER_ID, {})
        if not args.reuse:
            t0 = time.perf_counter()
            populate(env)
            populate_leads(env)
            cr.commit()
            print(f"populated in {time.perf_counter() - t0:.1f} s")
        dept_user = env["res.users"].search([("login", "=", "bench0")])
        admin = env.ref("base.user_admin")
        client = env["res.partner"].with_user(dept_user).search([("is_client", "=", True)], limit=1)
        print(f"opportunities: {env['crm.lead'].search_count([])}, followers: {env['mail.followers'].search_count([])}")
        print(f"opportunities visible to the department user: {env['crm.lead'].with_user(dept_user).search_count([])}")
        rows = [("department user", measure(env, dept_user, client.id, dept_user.partner_id.id))]
        rule = env.ref("client_guard.rule_lead_client_scope")
        rule.active = False
        env.registry.clear_cache()
        with patch("odoo.addons.client_guard.models.mail_followers.CLIENT_MODELS", ()):
            rows.append(("department user, without the fix", measure(env, dept_user, client.id,
                                                                     dept_user.partner_id.id)))
        rule.active = True
        env.registry.clear_cache()
        rows.append(("administrator", measure(env, admin, client.id, dept_user.partner_id.id)))
        print(f"{'':36}{'lead list 80':>14}{'client followers':>18}{'followings':>12}")
        for label, (page, chatter, followings) in rows:
            print(f"{label:36}{page:>12.1f}ms{chatter:>16.1f}ms{followings:>10.1f}ms")
        cr.rollback()


if __name__ == "__main__":
    main()
