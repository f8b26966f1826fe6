#!/usr/bin/env python3
"""Benchmark of shift_close_check: the close check of a shift with 500 calls.

Target: the check (which calls still need a note) answers within 200 ms.

Usage: python3 benchmarks/shift_close_check_bench.py [--calls 500]
"""

import argparse
import os
import statistics
import time
from datetime import timedelta

from _odoo import install, registry

os.environ.setdefault("PGOPTIONS", "-c jit=off")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_shift_close_check")
    parser.add_argument("--calls", type=int, default=500)
    args = parser.parse_args()
    install(args.db, "client_guard,pbx_call_capture,shift_close_check")
    reg = registry(args.db)
    from odoo import SUPERUSER_ID, api, fields  # noqa: PLC0415

    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user = env["res.users"].with_context(no_reset_password=True).create({
            "name": "Agent", "login": "agent", "pbx_extension": "100",
            "groups_id": [(6, 0, [env.ref("base.group_user").id])]})
        start = fields.Datetime.now() - timedelta(hours=8)
        calls = [{
            "uniqueid": f"shift.{i}", "src": f"+7495{i:07d}", "dst": "100",
            "start": fields.Datetime.to_string(start + timedelta(seconds=50 * i)) + "+00:00",
            "duration": 90, "billsec": 80 if i % 5 else 0, "disposition": "ANSWERED" if i % 5 else "NO ANSWER",
        } for i in range(args.calls)]
        for i in range(0, len(calls), 500):
            env["pbx.call"]._register_calls(calls[i:i + 500])
        shift = env["work.shift"].search([("user_id", "=", user.id), ("state", "=", "open")])
        shift.date_start = start - timedelta(minutes=1)
        noted = env["pbx.call"].search([("user_id", "=", user.id)], limit=args.calls // 2)
        noted.write({"note": "Discussed the order in detail"})
        env.flush_all()
        samples = []
        for _run in range(10):
            env.invalidate_all()
            t0 = time.perf_counter()
            missing = shift.with_user(user)._calls_needing_note()
            samples.append((time.perf_counter() - t0) * 1000)
        print(f"shift with {args.calls} calls, {len(missing)} needing a note: close check "
              f"median {statistics.median(samples):.1f} ms, max {max(samples):.1f} ms")
        cr.rollback()


if __name__ == "__main__":
    main()
