#!/usr/bin/env python3
"""Benchmark of client_guard's record rules on 100,000 client partners.

Fills a database with 100,000 client companies across 10 departments and 50
curators, then prints, for a department-level user and for an administrator,
the time of the client list's first page (``web_search_read``, 80 rows,
default order) and of a ``name_search``. Target: department user within 1.5x
of the administrator.

Usage: python3 benchmarks/client_guard_bench.py [--db bench_client_guard] [--reuse]
"""

import argparse
import os
import statistics
import time

from _odoo import install, registry

LIST_SPEC = {
    "display_name": {}, "phone": {}, "email": {}, "user_id": {"fields": {"display_name": {}}},
    "team_id": {"fields": {"display_name": {}}}, "city": {}, "country_id": {"fields": {"display_name": {}}},
    "is_company": {}, "active": {},
}


def populate(env, clients=100_000, teams=10, users=50, group_xmlids=None):
    """``clients`` client companies in ``teams`` departments, curated by
    ``users`` users (members of the departments, department level unless
    ``group_xmlids`` says otherwise), inserted in SQL. Without client_guard
    installed (OCA's module, for comparison) the same rows without its
    columns."""
    cr = env.cr
    team_ids = env["crm.team"].create([{"name": f"Bench department {i}"} for i in range(teams)]).ids
    group_xmlids = group_xmlids or ["base.group_user", "client_guard.group_scope_department"]
    group_ids = [env.ref(xmlid).id for xmlid in group_xmlids]
    user_recs = env["res.users"].with_context(no_reset_password=True, mail_create_nosubscribe=True).create([
        {"name": f"Bench user {i}", "login": f"bench{i}", "groups_id": [(6, 0, group_ids)]} for i in range(users)
    ])
    env["crm.team.member"].create([
        {"crm_team_id": team_ids[i % teams], "user_id": user.id} for i, user in enumerate(user_recs)
    ])
    team = "(%(teams)s)[1 + (g %% %(nusers)s) %% %(nteams)s]"
    columns, values = "", ""
    if "is_client" in env["res.partner"]._fields:
        # client_guard's columns: the department, a client, one in 500 private, the visibility key
        columns = ", team_id, is_client, is_private, registration_date, client_guard_scope_key"
        values = f", {team}, true, g %% 500 = 0, now()::date, {team}"
    cr.execute(
        f"""
        INSERT INTO res_partner (name, complete_name, is_company, active, type, lang, user_id,
                                 email, phone, city,
                                 create_date, write_date, create_uid, write_uid{columns})
        SELECT 'Client ' || g, 'Client ' || g, true, true, 'contact', 'en_US',
               (%(users)s)[1 + g %% %(nusers)s],
               'client' || g || '@example.com', '+7495' || lpad(g::text, 7, '0'),
               'Moscow', now(), now(), 1, 1{values}
          FROM generate_series(1, %(clients)s) g
        """,
        {"users": user_recs.ids, "nusers": users, "teams": team_ids, "nteams": teams, "clients": clients},
    )
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
    cr.execute("ANALYZE res_partner")
    env.invalidate_all()
    return user_recs


def timed(func, runs=7):
    func()  # warm-up (caches, query plans)
    samples = []
    for _run in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def measure(env, user):
    partners = env["res.partner"].with_user(user).with_context(lang="en_US")

    def first_page():
        partners.web_search_read([], LIST_SPEC, limit=80)
        env.invalidate_all()

    def name_search():
        partners.name_search("Client 4242", limit=8)
        env.invalidate_all()

    return timed(first_page), timed(name_search)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_client_guard")
    parser.add_argument("--reuse", action="store_true", help="reuse a database filled by a previous run")
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--jit", action="store_true", help="keep PostgreSQL's JIT on (off by default, as in "
                        "the suite's deployment: PGOPTIONS='-c jit=off')")
    args = parser.parse_args()
    if not args.jit:
        os.environ["PGOPTIONS"] = "-c jit=off"
    print(f"PostgreSQL JIT: {'on' if args.jit else 'off'}")
    if not args.reuse:
        install(args.db, "client_guard")
    reg = registry(args.db)
    with reg.cursor() as cr:
        from odoo import SUPERUSER_ID, api  # noqa: PLC0415

        env = api.Environment(cr, SUPERUSER_ID, {})
        if not args.reuse:
            t0 = time.perf_counter()
            populate(env, clients=args.clients)
            cr.commit()
            print(f"populated {args.clients} clients in {time.perf_counter() - t0:.1f} s")
        dept_user = env["res.users"].search([("login", "=", "bench0")])
        admin = env.ref("base.user_admin")
        visible = env["res.partner"].with_user(dept_user).search_count([])
        print(f"clients in the database: {env['res.partner'].search_count([('is_client', '=', True)])}")
        print(f"clients visible to the department user: {visible}")
        admin_page, admin_search = measure(env, admin)
        dept_page, dept_search = measure(env, dept_user)
        print(f"{'':32}{'admin':>10}{'department':>12}{'ratio':>8}")
        print(f"{'first page (web_search_read 80)':32}{admin_page:>8.1f}ms{dept_page:>10.1f}ms"
              f"{dept_page / admin_page:>8.2f}")
        print(f"{'name_search':32}{admin_search:>8.1f}ms{dept_search:>10.1f}ms{dept_search / admin_search:>8.2f}")
        cr.rollback()


if __name__ == "__main__":
    main()
