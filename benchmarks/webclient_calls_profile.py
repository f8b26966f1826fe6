#!/usr/bin/env python3
"""Load-independent figures of the web client's calls (those replayed by
``webclient_calls_bench.py``), in one process on a database that benchmark
filled: for each user and each call, the number of SQL queries, the rows and
buffers PostgreSQL read for them (``EXPLAIN (ANALYZE, BUFFERS)`` of every
query of the call, summed: shared hits + reads) and the CPU time of the
process. Wall-clock times on a shared machine swing with the load; these do
not (buffers do not depend on the load, queries not at all, CPU time little).

Usage: python3 benchmarks/webclient_calls_profile.py --db bench_webclient [--oca-addons PATH]
           [--users admin:admin,department:bench0] [--top 3] [--calls pipeline,client_form]
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import time

from _odoo import registry
from webclient_calls_bench import HERE, benchmark_ids, known_fields, prepare_calls, strip_uid

BUFFERS = re.compile(r"Buffers: shared(?: hit=(\d+))?(?: read=(\d+))?")


class Recorder:
    """Every query a cursor runs, while ``active``."""

    def __init__(self):
        self.active, self.queries = False, []

    def install(self):
        from odoo import sql_db  # noqa: PLC0415

        original = sql_db.Cursor.execute
        recorder = self

        def execute(cursor, query, params=None, log_exceptions=True):
            if recorder.active:
                recorder.queries.append((query, params))
            return original(cursor, query, params, log_exceptions)

        sql_db.Cursor.execute = execute


def explain(cr, query, params):
    """(top-level buffers, execution ms, plan text) of one query; 0 for what
    EXPLAIN cannot run (SAVEPOINT, SET...)."""
    text = query.code if hasattr(query, "code") else query
    if not text.lstrip().upper().startswith(("SELECT", "WITH")):
        return 0, 0.0, ""
    if hasattr(query, "params"):
        params = query.params
    cr.execute("SAVEPOINT profile_explain")
    try:
        cr._obj.execute("EXPLAIN (ANALYZE, BUFFERS) " + text, params)
        plan = "\n".join(row[0] for row in cr._obj.fetchall())
    finally:
        cr.execute("ROLLBACK TO SAVEPOINT profile_explain")
    match = BUFFERS.search(plan)
    buffers = sum(int(g or 0) for g in match.groups()) if match else 0
    ms = float(re.search(r"Execution Time: ([\d.]+)", plan).group(1))
    return buffers, ms, plan


def run_call(env, path, body):
    from odoo import api  # noqa: PLC0415

    params = body["params"]
    if path.startswith("/web/dataset/call_kw"):
        return api.call_kw(env[params["model"]], params["method"], params.get("args", []), params.get("kwargs", {}))
    from odoo.addons.mail.tools.discuss import Store  # noqa: PLC0415

    model = env[params["thread_model"]]
    if path == "/mail/thread/data":
        thread = model._get_thread_with_access(params["thread_id"])
        return Store(thread, as_thread=True, request_list=params["request_list"]).get_result()
    if path == "/mail/thread/messages":
        res = env["mail.message"]._message_fetch([
            ("res_id", "=", int(params["thread_id"])), ("model", "=", params["thread_model"]),
            ("message_type", "!=", "user_notification")], limit=params.get("limit", 30))
        return Store(res.pop("messages"), for_current_user=True).get_result()
    raise ValueError(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_webclient")
    parser.add_argument("--oca-addons", help="addons folder of OCA's module (for its database)")
    parser.add_argument("--oca", action="store_true", help="the database holds OCA's module, not the suite")
    parser.add_argument("--users", default="admin:admin,own:bench_own,department:bench0,all:bench_all")
    parser.add_argument("--calls", default="", help="steps to profile (default: all)")
    parser.add_argument("--top", type=int, default=2, help="print the plans of the N costliest queries")
    parser.add_argument("--cprofile", type=int, default=0, help="print the N functions of most own time")
    parser.add_argument("--list", action="store_true", help="print every query of each call (its start)")
    args = parser.parse_args()
    with open(os.path.join(HERE, "webclient_calls.json"), encoding="utf-8") as handle:
        captured = json.load(handle)
    meta = captured[0].get("meta", {})
    captured = [call for call in captured if "body" in call]
    stages, client, _jit, fields = benchmark_ids(args.db, args.oca)
    calls = prepare_calls(captured, {"stages": stages, "client": client}, {"stages": meta.get("stages", stages)})
    calls = [(name, path, known_fields(strip_uid(body, meta.get("uid")), fields)) for name, path, body in calls]
    if args.calls:
        calls = [call for call in calls if call[0].split(":")[0] in args.calls.split(",")]
    recorder = Recorder()
    recorder.install()
    reg = registry(args.db, addons=os.path.abspath(args.oca_addons) if args.oca_addons else None)
    from odoo import api  # noqa: PLC0415

    print(f"{'call':45} {'user':11} {'queries':>7} {'buffers':>9} {'sql ms':>8} {'cpu ms':>8}")
    for pair in args.users.split(","):
        label, login = pair.split(":")
        for name, path, body in calls:
            with reg.cursor() as cr:
                env = api.Environment(cr, 1, {})
                uid = env["res.users"].search([("login", "=", login)]).id
                user_env = api.Environment(cr, uid, {})
                run_call(user_env, path, body)  # warm-up: caches
                user_env.invalidate_all()
                recorder.queries, recorder.active = [], True
                profiler = cProfile.Profile() if args.cprofile else None
                cpu = time.process_time()
                if profiler:
                    profiler.enable()
                run_call(user_env, path, body)
                if profiler:
                    profiler.disable()
                cpu = (time.process_time() - cpu) * 1000
                recorder.active = False
                queries = list(recorder.queries)
                costs = [(*explain(cr, query, params), query) for query, params in queries]
                cr.rollback()
            buffers = sum(c[0] for c in costs)
            sql_ms = sum(c[1] for c in costs)
            print(f"{name[:45]:45} {label:11} {len(queries):>7} {buffers:>9} {sql_ms:>8.1f} {cpu:>8.1f}", flush=True)
            if profiler:
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.cprofile)
                print(out.getvalue())
            if args.list:
                for buf, ms, _plan, query in costs:
                    text = query.code if hasattr(query, "code") else query
                    print(f"    . {buf:>6} {ms:>7.2f} {' '.join(str(text).split())[:220]}")
            for buf, ms, plan, query in sorted(costs, key=lambda c: -c[0])[:args.top]:
                if buf > 200:
                    text = query.code if hasattr(query, "code") else query
                    print(f"    -- {buf} buffers, {ms:.1f} ms: {' '.join(str(text).split())[:1500]}")
                    print("       " + plan.replace("\n", "\n       "))


if __name__ == "__main__":
    main()
