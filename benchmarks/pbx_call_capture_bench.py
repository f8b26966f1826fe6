#!/usr/bin/env python3
"""Benchmark of pbx_call_capture: CDRs pushed over XML-RPC into a database
with 100,000 clients, in batches of 500 and one call per request.

The measure is made in interleaved rounds (batches, then single calls, then
batches again...), each round with callers of its own: a fifth of them are
unknown and become clients, as on the first day. Prints every round, the
medians, and the load average of the machine (other processes share the CPU).
Targets: >= 1,000 calls/s in batches, p95 single-call < 100 ms.

Usage: python3 benchmarks/pbx_call_capture_bench.py [--rounds 5] [--calls 4000] [--single 400]
    [--modules client_guard,pbx_call_capture,client_guard_audit]
"""

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import xmlrpc.client

from _odoo import ROOT, addons_path, db_args, install, registry

os.environ.setdefault("PGOPTIONS", "-c jit=off")


def populate(db, clients):
    reg = registry(db)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        team = env["crm.team"].create({"name": "Bench calls"})
        groups = [(6, 0, [env.ref("base.group_user").id, env.ref("client_guard.group_scope_department").id])]
        users = env["res.users"].with_context(no_reset_password=True).create([
            {"name": f"Agent {i}", "login": f"agent{i}", "pbx_extension": str(100 + i), "groups_id": groups}
            for i in range(20)])
        env["crm.team.member"].create([{"crm_team_id": team.id, "user_id": u.id} for u in users])
        env["res.users"].with_context(no_reset_password=True).create({
            "name": "PBX", "login": "pbxbench", "password": "pbxbench",
            "groups_id": [(6, 0, [env.ref("pbx_call_capture.group_pbx_integration").id])]})
        cr.execute("""
            INSERT INTO res_partner (id, commercial_partner_id, name, complete_name, is_company, active, type,
                                     user_id, team_id, is_client, is_private, phone, phone_e164, create_date,
                                     write_date, create_uid, write_uid)
            SELECT n.id, n.id, 'Client ' || g, 'Client ' || g, true, true, 'contact', %s, %s, true, false,
                   '+7 495 ' || lpad(g::text, 7, '0'), '+7495' || lpad(g::text, 7, '0'), now(), now(), 1, 1
              FROM (SELECT g, nextval('res_partner_id_seq') AS id FROM generate_series(1, %s) g) n""",
                   (users[0].id, team.id, clients))
        cr.execute("ANALYZE")
        cr.commit()


def cdrs(count, prefix, clients, seed=42):
    rng = random.Random(seed)
    for i in range(count):
        known = rng.random() < 0.8
        number = f"+7495{rng.randint(1, clients):07d}" if known else f"+7903{rng.randint(0, 9_999_999):07d}"
        inbound = rng.random() < 0.7
        answered = rng.random() < 0.8
        ext = str(100 + rng.randint(0, 19))
        yield {
            "uniqueid": f"{prefix}.{i}", "source": "bench",
            "src": number if inbound else ext, "dst": ext if inbound else number,
            "start": "2026-11-23 10:00:00", "duration": 120, "billsec": 100 if answered else 0,
            "disposition": "ANSWERED" if answered else "NO ANSWER",
        }


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_pbx_call_capture")
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=4_000, help="calls pushed in batches, per round")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--single", type=int, default=400, help="calls pushed one per request, per round")
    parser.add_argument("--reuse", action="store_true", help="reuse the database of a previous run")
    parser.add_argument("--baseline-root", help="a checkout of another version (e.g. `git archive` of main): its "
                        "server, on --baseline-db (set up by that checkout's copy of this script), is measured in "
                        "the same rounds, interleaved, and the ratio printed")
    parser.add_argument("--baseline-db", default="bench_pbx_call_capture_baseline")
    parser.add_argument("--modules", default="client_guard,pbx_call_capture",
                        help="modules to install, e.g. add client_guard_audit to measure the push audited")
    args = parser.parse_args()
    if not args.reuse:
        install(args.db, args.modules)
        populate(args.db, args.clients)
    run = f"r{int(time.time())}"
    if args.rounds <= 0:
        return  # set-up only
    servers = [("current", ROOT, args.db)]
    if args.baseline_root:
        servers.insert(0, ("baseline", os.path.abspath(args.baseline_root), args.baseline_db))
    procs, pushers = [], {}
    try:
        for name, root, db in servers:
            port = free_port()
            paths = addons_path().split(",")
            paths[0] = os.path.join(root, "addons")
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "odoo", "-c", os.path.join(ROOT, "odoo.conf"), "-d", db,
                 "--addons-path", ",".join(paths), *db_args(), "--http-port", str(port),
                 "--http-interface", "127.0.0.1", "--workers", "0", "--max-cron-threads", "0", "--log-level", "warn"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            url = f"http://127.0.0.1:{port}"
            for _try in range(240):
                try:
                    uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(
                        db, "pbxbench", "pbxbench", {})
                    break
                except OSError:
                    time.sleep(0.5)
            models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
            pushers[name] = (lambda batch, m=models, d=db, u=uid:
                             m.execute_kw(d, u, "pbxbench", "pbx.call", "register_calls", [batch]))
        figures = {name: {"rates": [], "p50": [], "p95": []} for name, _root, _db in servers}
        for number in range(args.rounds):
            for name, _root, _db in servers:  # interleaved: the same round on each server in turn
                push, fig = pushers[name], figures[name]
                load = os.getloadavg()[0]
                # each round has callers of its own: a fifth unknown, who become clients (the first day)
                calls = list(cdrs(args.calls, f"{run}.{number}.batch", args.clients, seed=1000 + number))
                start = time.perf_counter()
                statuses = {}
                for i in range(0, len(calls), args.batch):
                    for result in push(calls[i:i + args.batch]):
                        statuses[result["status"]] = statuses.get(result["status"], 0) + 1
                batched = time.perf_counter() - start
                fig["rates"].append(len(calls) / batched)
                latencies = []
                for call in cdrs(args.single, f"{run}.{number}.single", args.clients, seed=2000 + number):
                    t0 = time.perf_counter()
                    push([call])
                    latencies.append((time.perf_counter() - t0) * 1000)
                latencies.sort()
                fig["p50"].append(statistics.median(latencies))
                fig["p95"].append(latencies[max(int(len(latencies) * 0.95) - 1, 0)])
                print(f"round {number + 1} {name}: batches of {args.batch}: {len(calls)} calls in {batched:.1f} s = "
                      f"{fig['rates'][-1]:.0f} calls/s {statuses}; one call per request: p50 {fig['p50'][-1]:.1f} ms, "
                      f"p95 {fig['p95'][-1]:.1f} ms; load average before {load:.1f}", flush=True)
        for name, fig in figures.items():
            print(f"{name}: median of {args.rounds} rounds: batches {statistics.median(fig['rates']):.0f} calls/s "
                  f"(min {min(fig['rates']):.0f}, max {max(fig['rates']):.0f}); single calls "
                  f"p50 {statistics.median(fig['p50']):.1f} ms, p95 {statistics.median(fig['p95']):.1f} ms "
                  f"(max {max(fig['p95']):.1f} ms)")
        if args.baseline_root:
            ratios = [c / b for b, c in zip(figures["baseline"]["rates"], figures["current"]["rates"], strict=True)]
            print(f"batched calls/s, current / baseline: median ratio {statistics.median(ratios):.2f} "
                  f"(per round {', '.join(f'{r:.2f}' for r in ratios)})")
        print(f"{os.cpu_count()} CPUs, load average now {os.getloadavg()[0]:.1f}")
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()
