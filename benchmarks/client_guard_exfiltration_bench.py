#!/usr/bin/env python3
"""Benchmark of client_guard_exfiltration's read counter on 100,000 clients.

Builds the database of client_guard_bench.py (100,000 client companies, 10
departments, 50 department-level users) with client_guard_exfiltration
installed, then prints the time of the client list's first page
(``web_search_read``, 80 rows) for:

- the administrator (not under Client Guard: never counted);
- a department user without the guard (the same user marked as an
  integration user, so the counter is skipped: only the module's hooks run);
- the same user with the guard, rereading the same page (marks exist: the
  upsert changes nothing);
- the same user with the guard, a new page on every run (80 new marks).

Each counted call writes its marks in a short transaction of its own (one
statement + commit), as in production. Targets: guard overhead small
(ratio to no guard), department user with the guard within 1.5x of the admin.

Usage: python3 benchmarks/client_guard_exfiltration_bench.py [--db bench_client_guard_exfiltration] [--reuse]
"""

import argparse
import itertools
import os
import time

from _odoo import install, registry
from client_guard_bench import LIST_SPEC, populate, timed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_client_guard_exfiltration")
    parser.add_argument("--reuse", action="store_true", help="reuse a database filled by a previous run")
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ["PGOPTIONS"] = "-c jit=off"
    if not args.reuse:
        install(args.db, "client_guard_exfiltration")
    reg = registry(args.db)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if not args.reuse:
            t0 = time.perf_counter()
            populate(env, clients=args.clients)
            cr.commit()
            print(f"populated {args.clients} clients in {time.perf_counter() - t0:.1f} s")
        dept_user = env["res.users"].search([("login", "=", "bench0")])
        admin = env.ref("base.user_admin")
        # generous thresholds: the benchmark measures the counting, not the blocking
        env["client_guard.exfiltration.threshold"].search([]).write(
            {"alert_count": 10_000_000, "block_count": 20_000_000})
        cr.execute("DELETE FROM client_guard_exfiltration_mark")
        cr.commit()
        print(f"clients visible to the department user: {env['res.partner'].with_user(dept_user).search_count([])}")

        def first_page(user, offsets=None):
            partners = env["res.partner"].with_user(user).with_context(lang="en_US")

            def run():
                partners.web_search_read([], LIST_SPEC, offset=next(offsets) if offsets else 0, limit=80)
                env.invalidate_all()

            return run

        def set_integration(flag):
            dept_user.client_guard_integration = flag
            cr.commit()

        admin_ms = timed(first_page(admin), runs=args.runs)
        set_integration(True)
        off_ms = timed(first_page(dept_user), runs=args.runs)
        set_integration(False)
        reread_ms = timed(first_page(dept_user), runs=args.runs)
        new_ms = timed(first_page(dept_user, itertools.count(80, 80)), runs=args.runs)
        with reg.cursor() as fresh:  # this cursor's snapshot predates the guard's commits
            fresh.execute("SELECT count(*) FROM client_guard_exfiltration_mark WHERE user_id = %s", [dept_user.id])
            marks = fresh.fetchone()[0]
        print(f"marks of the department user after the runs: {marks}")
        print(f"{'client list first page (80 rows)':48}{'median':>10}{'vs no guard':>13}{'vs admin':>10}")
        for label, value in (
            ("administrator (never counted)", admin_ms),
            ("department user, no guard", off_ms),
            ("department user, guard, same page again", reread_ms),
            ("department user, guard, new page (80 new marks)", new_ms),
        ):
            print(f"{label:48}{value:>8.1f}ms{value / off_ms:>12.2f}x{value / admin_ms:>9.2f}x")
        cr.execute("DELETE FROM client_guard_exfiltration_mark")
        cr.execute("DELETE FROM client_guard_exfiltration_alert")
        cr.commit()


if __name__ == "__main__":
    main()
