#!/usr/bin/env python3
"""Benchmark of client_guard_audit's overhead on 100,000 client partners.

Builds the client_guard benchmark database (100,000 clients, 10 departments,
50 curators), measures, then installs client_guard_audit on the same database
and measures again:

- the client list's first page (``web_search_read``, 80 rows) and
  ``name_search`` for an administrator and a department user: the audit does
  not touch reads, the ratio to no audit should stay about 1;
- one client saved by a department user (``write`` of two watched fields and
  the commit's flush and precommit hooks), median of 50;
- 10,000 clients handed to another curator in one ``write`` (as a curator
  transfer does, without chatter tracking), with its 10,000 audit lines.

Usage: python3 benchmarks/client_guard_audit_bench.py [--db bench_client_guard_audit] [--reuse]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

from _odoo import ROOT, addons_path, db_args, install, registry
from client_guard_bench import measure, populate


def write_one(env, user, runs=50):
    partners = env["res.partner"].with_user(user)
    clients = partners.search([("user_id", "=", user.id)], limit=runs + 1)
    samples = []
    for index, client in enumerate(clients):
        start = time.perf_counter()
        client.write({"mobile": f"+7 916 000-{index:04d}", "street": f"Street {index}"})
        env.flush_all()
        env.cr.flush()  # what the commit runs: the audit's precommit hook
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples[1:])


def write_many(env, count=10_000):
    from odoo.addons.client_guard.server_flags import server_flags  # noqa: PLC0415 (addons path set by registry())

    clients = env["res.partner"].search([("is_client", "=", True)], limit=count)
    successor = env["res.users"].search([("login", "=", "bench1")])
    start = time.perf_counter()
    # as a curator transfer writes them: no chatter tracking, followers in bulk
    with server_flags(curator_transfer_bulk=True):
        clients.with_context(tracking_disable=True).write({"user_id": successor.id})
    env.flush_all()
    env.cr.flush()
    return (time.perf_counter() - start) * 1000


def run(env, label):
    dept_user = env["res.users"].search([("login", "=", "bench0")])
    admin = env.ref("base.user_admin")
    admin_page, admin_search = measure(env, admin)
    dept_page, dept_search = measure(env, dept_user)
    with env.cr.savepoint(flush=False) as savepoint:
        one = write_one(env, dept_user)
        many = write_many(env)
        logs = env["client_guard.audit.log"].sudo().search_count([]) if "client_guard.audit.log" in env else 0
        savepoint.rollback()
    env.invalidate_all()
    print(f"{label}: first page admin {admin_page:.1f} ms, department {dept_page:.1f} ms; "
          f"name_search admin {admin_search:.1f} ms, department {dept_search:.1f} ms; "
          f"one client saved {one:.1f} ms; 10,000 clients reassigned {many:.0f} ms ({logs} audit lines)")
    return admin_page, dept_page, one, many


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_client_guard_audit")
    parser.add_argument("--reuse", action="store_true", help="reuse a database filled by a previous run "
                        "(client_guard_audit already installed: only the 'with audit' figures)")
    args = parser.parse_args()
    os.environ["PGOPTIONS"] = "-c jit=off"
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    before = None
    if not args.reuse:
        install(args.db, "client_guard,curator_transfer,pbx_call_capture")
        reg = registry(args.db)
        with reg.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            t0 = time.perf_counter()
            populate(env)
            cr.commit()
            print(f"populated 100000 clients in {time.perf_counter() - t0:.1f} s")
            before = run(env, "without audit")
            cr.rollback()
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "odoo", "-c", os.path.join(ROOT, "odoo.conf"), "-d", args.db,
                        "--addons-path", addons_path(), *db_args(), "-i", "client_guard_audit",
                        "--stop-after-init", "--log-level", "warn", "--http-port", "0"], check=True)
        print(f"installed client_guard_audit in {time.perf_counter() - t0:.1f} s")
    from odoo.modules.registry import Registry  # noqa: PLC0415

    if args.reuse:
        registry(args.db)  # reads the configuration
    reg = Registry.new(args.db)  # with the models of client_guard_audit
    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        after = run(env, "with audit")
        cr.rollback()
    if before:
        print(f"ratio with/without audit: first page admin {after[0] / before[0]:.2f}, "
              f"department {after[1] / before[1]:.2f}; one save {after[2] / before[2]:.2f}; "
              f"10,000 reassigned {after[3] / before[3]:.2f}")


if __name__ == "__main__":
    main()
