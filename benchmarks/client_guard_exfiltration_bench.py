#!/usr/bin/env python3
"""Benchmark of client_guard_exfiltration's read counter on 100,000 clients.

Builds the database of client_guard_bench.py (100,000 client companies, 10
departments, 50 department-level users) with client_guard_exfiltration
installed, then prints the time of the client list's first page
(``web_search_read``, 80 rows) for:

- the administrator (not under Client Guard: never counted);
- a department user without the guard (the same user marked as an integration
  user: the counter is skipped, only the module's hooks run);
- the same user with the guard, rereading the same page (marks exist: the
  upsert changes nothing);
- a new page every round (offset 80 x round), read by the same user without
  then with the guard (80 new marks).

The scenarios run in interleaved rounds (median of ``--runs``), so that the
load of a shared machine hits them alike.

Each counted call writes its marks in a short transaction of its own (one
statement + commit), as in production. Targets: guard overhead small
(ratio to no guard), department user with the guard within 1.5x of the admin.

Usage: python3 benchmarks/client_guard_exfiltration_bench.py [--db bench_client_guard_exfiltration] [--reuse]
"""

import argparse
import itertools
import os
import statistics
import time

from _odoo import install, registry
from client_guard_bench import LIST_SPEC, populate


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_client_guard_exfiltration")
    parser.add_argument("--reuse", action="store_true", help="reuse a database filled by a previous run")
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=31)
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
        Partner = env["res.partner"].with_context(lang="en_US")
        print(f"clients visible to the department user: {Partner.with_user(dept_user).search_count([])}")
        offsets = itertools.count(80, 80)

        def page(user, offset=0):
            start = time.perf_counter()
            Partner.with_user(user).web_search_read([], LIST_SPEC, offset=offset, limit=80)
            env.invalidate_all()
            return (time.perf_counter() - start) * 1000

        def guard(on):
            # the user's integration flag switches the counter off; the write clears the caches,
            # so a warm-up call follows every switch
            dept_user.client_guard_integration = not on
            cr.commit()
            page(dept_user)

        labels = ("administrator, first page (never counted)", "department user, first page, no guard",
                  "department user, first page, guard (reread)", "department user, page k, no guard",
                  "department user, page k, guard (80 new marks)")
        samples = {label: [] for label in labels}
        # interleaved rounds, so that the load of the shared machine hits every scenario alike; page k is
        # a new page each round (offset 80k), read first without the guard, then with it (new marks)
        for round_ in range(args.runs + 1):
            offset = next(offsets)
            guard(False)
            values = [page(admin), page(dept_user)]
            guard(True)
            values.append(page(dept_user))
            guard(False)
            values.append(page(dept_user, offset))
            guard(True)
            values.append(page(dept_user, offset))
            if round_:  # the first round warms the caches up
                for label, value in zip(labels, values, strict=True):
                    samples[label].append(value)
        medians = {label: statistics.median(values) for label, values in samples.items()}
        with reg.cursor() as fresh:  # this cursor's snapshot predates the guard's commits
            fresh.execute("SELECT count(*) FROM client_guard_exfiltration_mark WHERE user_id = %s", [dept_user.id])
            marks = fresh.fetchone()[0]
        print(f"marks of the department user after the runs: {marks}")
        admin_ms = medians[labels[0]]
        baseline = {labels[1]: labels[1], labels[2]: labels[1], labels[3]: labels[3], labels[4]: labels[3]}
        print(f"{'client list page (web_search_read, 80 rows), median':52}{'':>10}{'vs no guard':>13}{'vs admin':>10}")
        for label, value in medians.items():
            ratio = f"{value / medians[baseline[label]]:>12.2f}x" if label in baseline else f"{'':>13}"
            print(f"{label:52}{value:>8.1f}ms{ratio}{value / admin_ms:>9.2f}x")
        cr.execute("DELETE FROM client_guard_exfiltration_mark")
        cr.execute("DELETE FROM client_guard_exfiltration_alert")
        cr.commit()


if __name__ == "__main__":
    main()
