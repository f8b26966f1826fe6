#!/usr/bin/env python3
"""Benchmark of pbx_call_capture: CDRs pushed over XML-RPC into a database
with 100,000 clients, in batches of 500 and one call per request.

The measure is made in interleaved rounds (batches, then single calls, then
batches again...), each round with callers of its own: a fifth of them are
unknown and become clients, as on the first day. Every run starts from fresh
copies of template databases (set up once, a few minutes; then a copy takes
seconds), so that those callers are unknown again. Prints every round, the
medians, the calls per second of wall time and the server's CPU time per call
(the Odoo process and its PostgreSQL backend, from /proc: robust to the load
of other processes, unlike wall time), and the load average of the machine.
Targets: >= 1,000 calls/s in batches, p95 single-call < 100 ms.

The first day with the audit and the shift check, this version against
another checkout (a worktree of main), interleaved, about 5 minutes on an idle
machine once the templates exist:

    git -C <repo> worktree add /tmp/pbx-base main
    python3 benchmarks/pbx_call_capture_bench.py --baseline-root /tmp/pbx-base \
        --modules client_guard,pbx_call_capture,client_guard_audit,shift_close_check \
        --rounds 5 --calls 2000 --single 200

Without --baseline-root only this version is measured. --rebuild sets the
templates up again (after a change of the modules' fields); --profile N pushes
N batches in-process under cProfile and prints the queries of each batch.
"""

import argparse
import hashlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
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
        # commercial_partner_id set afterwards: its foreign key, checked at the end of the INSERT with a
        # plan made while the table was small, would scan the table once per row (hours at 100,000);
        # the visibility key and the bank-accounts flag as their computations say
        # (an older checkout measured with --baseline-root may lack the flag)
        flag = "client_guard_has_bank_account" in env["res.partner"]._fields
        cr.execute(f"""
            INSERT INTO res_partner (id, name, complete_name, is_company, active, type,
                                     user_id, team_id, is_client, is_private, phone, phone_e164, create_date,
                                     write_date, create_uid, write_uid, client_guard_scope_key
                                     {", client_guard_has_bank_account" if flag else ""})
            SELECT n.id, 'Client ' || g, 'Client ' || g, true, true, 'contact', %s, %s, true, false,
                   '+7 495 ' || lpad(g::text, 7, '0'), '+7495' || lpad(g::text, 7, '0'), now(), now(), 1, 1, %s
                   {", false" if flag else ""}
              FROM (SELECT g, nextval('res_partner_id_seq') AS id FROM generate_series(1, %s) g) n""",
                   (users[0].id, team.id, team.id, clients))
        cr.execute("ANALYZE res_partner")
        cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
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


def profile(db, batches, size, clients, top=35):
    """Push ``batches`` batches in this process (as the PBX user, each batch
    committed like a request: the audit's pre-commit hook included) under
    cProfile; print the queries of each batch by statement and table, and the
    functions that took the time. The database keeps what was pushed."""
    import cProfile  # noqa: PLC0415
    import pstats  # noqa: PLC0415
    import re  # noqa: PLC0415
    from collections import Counter  # noqa: PLC0415

    from odoo import api, sql_db  # noqa: PLC0415

    reg = registry(db)
    counter, timer, slowest = Counter(), Counter(), []
    original = sql_db.Cursor.execute

    def counting(self, query, params=None, log_exceptions=True):
        text = query.code if hasattr(query, "code") else str(query)
        match = re.match(r"\s*(\w+)\b.*?\b(?:FROM|INTO|UPDATE)\s+\"?(\w+)", text, re.S | re.I)
        key = f"{match.group(1).upper()} {match.group(2)}" if match else text.split()[0].upper()
        counter[key] += 1
        start = time.perf_counter()
        try:
            return original(self, query, params, log_exceptions)
        finally:
            elapsed = time.perf_counter() - start
            timer[key] += elapsed
            slowest.append((elapsed, " ".join(text.split())[:300]))

    run = f"p{int(time.time())}"
    profiler = cProfile.Profile()
    sql_db.Cursor.execute = counting
    try:
        for number in range(batches):
            calls = list(cdrs(size, f"{run}.{number}", clients, seed=5000 + number + int(time.time())))
            counter.clear()
            timer.clear()
            slowest.clear()
            with reg.cursor() as cr:
                env = api.Environment(cr, 1, {})
                uid = env["res.users"].search([("login", "=", "pbxbench")]).id
                env = api.Environment(cr, uid, {})
                start, cpu = time.perf_counter(), time.process_time()
                profiler.enable()
                results = env["pbx.call"].register_calls(calls)
                env.flush_all()
                cr.precommit.run()
                cr.commit()
                profiler.disable()
                wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            statuses = Counter(r["status"] for r in results)
            print(f"batch {number + 1}: {size} calls in {wall * 1000:.0f} ms ({cpu * 1000:.0f} ms CPU of this "
                  f"process), {sum(counter.values())} queries through the cursor {dict(statuses)}")
            for key, count in counter.most_common():
                print(f"    {count:5d} {key} ({timer[key] * 1000:.0f} ms)")
            for elapsed, text in sorted(slowest, reverse=True)[:5]:
                print(f"    slowest: {elapsed * 1000:.0f} ms {text}")
    finally:
        sql_db.Cursor.execute = original
    profiler.dump_stats(os.path.join(tempfile.gettempdir(), "pbx_call_capture_bench.prof"))  # for pstats or snakeviz
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_command(*command):
    return [*command, "-h", os.environ.get("PGHOST", "127.0.0.1"), "-U", os.environ.get("PGUSER", "odoo")]


def database_exists(db):
    out = subprocess.run(pg_command("psql", "-d", "postgres", "-tAc",
                                    f"SELECT 1 FROM pg_database WHERE datname = '{db}'"),
                         capture_output=True, text=True, check=True).stdout
    return out.strip() == "1"


def fresh_database(db, template, build):
    """``db`` as a copy of ``template`` (a few seconds), which ``build()`` sets
    up the first time (install and 100,000 clients: minutes)."""
    if not database_exists(template):
        build()
    # the build's own connections (this process's pool) would keep the copy from starting
    subprocess.run(pg_command("psql", "-d", "postgres", "-tAc",
                              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                              f" WHERE datname = '{template}' AND pid <> pg_backend_pid()"),
                   capture_output=True, check=True)
    subprocess.run(pg_command("dropdb", "--if-exists", db), check=True)
    subprocess.run(pg_command("createdb", "-T", template, db), check=True)


def template_name(db, args):
    digest = hashlib.sha1(f"{args.modules}|{args.clients}".encode()).hexdigest()[:6]
    return f"{db}_tmpl_{digest}"


def cpu_seconds(pids):
    """User and system CPU time of processes (0 for those gone)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields_ = stat.read().rsplit(")", 1)[1].split()
            total += int(fields_[11]) + int(fields_[12])
        except (OSError, IndexError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def backends(db):
    """PostgreSQL server processes connected to ``db``."""
    out = subprocess.run(pg_command("psql", "-d", "postgres", "-tAc",
                                    f"SELECT pid FROM pg_stat_activity WHERE datname = '{db}'"),
                         capture_output=True, text=True, check=True).stdout
    return [int(pid) for pid in out.split()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_pbx_call_capture")
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=4_000, help="calls pushed in batches, per round")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--single", type=int, default=400, help="calls pushed one per request, per round")
    parser.add_argument("--reuse", action="store_true", help="reuse the database of a previous run as it is")
    parser.add_argument("--rebuild", action="store_true",
                        help="set the template databases up anew (after a change of the modules' schema)")
    parser.add_argument("--no-template", action="store_true",
                        help="install and populate --db itself, without a template (what --baseline-root asks "
                        "of the other checkout's script)")
    parser.add_argument("--baseline-root", help="a checkout of another version (e.g. a worktree of main): its "
                        "server, on --baseline-db (set up by that checkout's copy of this script), is measured in "
                        "the same rounds, interleaved, and the ratio printed")
    parser.add_argument("--baseline-db", default="bench_pbx_call_capture_baseline")
    parser.add_argument("--modules", default="client_guard,pbx_call_capture",
                        help="modules to install, e.g. add client_guard_audit to measure the push audited")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="instead of the rounds: push N batches in this process under cProfile and print the "
                        "queries per batch and where the time goes")
    args = parser.parse_args()

    def build_current(db):
        install(db, args.modules)
        populate(db, args.clients)

    def build_baseline(db):
        script = os.path.join(os.path.abspath(args.baseline_root), "benchmarks", os.path.basename(__file__))
        with open(script) as source:
            flags = ["--no-template"] if "--no-template" in source.read() else []
        subprocess.run([sys.executable, script, "--db", db, "--rounds", "0", "--modules", args.modules,
                        "--clients", str(args.clients), *flags], check=True)

    if args.no_template:
        if not args.reuse:
            build_current(args.db)
    elif not args.reuse:
        # fresh databases for every run: the unknown callers of the rounds are unknown again
        for db, build in [(args.db, build_current)] + (
                [(args.baseline_db, build_baseline)] if args.baseline_root else []):
            template = template_name(db, args)
            if args.rebuild:
                subprocess.run(pg_command("dropdb", "--if-exists", template), check=True)
            fresh_database(db, template, lambda t=template, b=build: b(t))
    if args.profile:
        profile(args.db, args.profile, args.batch, args.clients)
        return
    run = f"r{int(time.time())}"
    if args.rounds <= 0:
        return  # set-up only
    servers = [("current", ROOT, args.db)]
    if args.baseline_root:
        servers.insert(0, ("baseline", os.path.abspath(args.baseline_root), args.baseline_db))
    procs, pushers = {}, {}
    try:
        for name, root, db in servers:
            port = free_port()
            paths = addons_path().split(",")
            paths[0] = os.path.join(root, "addons")
            procs[name] = subprocess.Popen(
                [sys.executable, "-m", "odoo", "-c", os.path.join(ROOT, "odoo.conf"), "-d", db,
                 "--addons-path", ",".join(paths), *db_args(), "--http-port", str(port),
                 "--http-interface", "127.0.0.1", "--workers", "0", "--max-cron-threads", "0", "--log-level", "warn"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
        figures = {name: {key: [] for key in ("rates", "cpu", "pg", "server", "p50", "p95", "single_cpu", "single_pg")}
                   for name, _root, _db in servers}
        for number in range(args.rounds):
            for name, _root, db in servers:  # interleaved: the same round on each server in turn
                push, fig = pushers[name], figures[name]
                load = os.getloadavg()[0]
                # each round has callers of its own: a fifth unknown, who become clients (the first day)
                calls = list(cdrs(args.calls, f"{run}.{number}.batch", args.clients, seed=1000 + number))
                # a call outside the round first: the server's connection to the database is open, its backend
                # is measured
                push(list(cdrs(1, f"{run}.{number}.warm", args.clients, seed=3000 + number)))
                pids = backends(db)
                cpu_odoo, cpu_pg = cpu_seconds([procs[name].pid]), cpu_seconds(pids)
                start = time.perf_counter()
                statuses = {}
                for i in range(0, len(calls), args.batch):
                    for result in push(calls[i:i + args.batch]):
                        statuses[result["status"]] = statuses.get(result["status"], 0) + 1
                batched = time.perf_counter() - start
                cpu_odoo = cpu_seconds([procs[name].pid]) - cpu_odoo
                cpu_pg = cpu_seconds(pids) - cpu_pg
                fig["rates"].append(len(calls) / batched)
                fig["cpu"].append(cpu_odoo * 1000 / len(calls))
                fig["pg"].append(cpu_pg * 1000 / len(calls))
                fig["server"].append(fig["cpu"][-1] + fig["pg"][-1])
                latencies = []
                # the fixed cost of a request: the server's CPU per single call (Odoo process and backend)
                cpu_odoo, cpu_pg = cpu_seconds([procs[name].pid]), cpu_seconds(pids)
                for call in cdrs(args.single, f"{run}.{number}.single", args.clients, seed=2000 + number):
                    t0 = time.perf_counter()
                    push([call])
                    latencies.append((time.perf_counter() - t0) * 1000)
                fig["single_cpu"].append((cpu_seconds([procs[name].pid]) - cpu_odoo) * 1000 / args.single)
                fig["single_pg"].append((cpu_seconds(pids) - cpu_pg) * 1000 / args.single)
                latencies.sort()
                fig["p50"].append(statistics.median(latencies))
                fig["p95"].append(latencies[max(int(len(latencies) * 0.95) - 1, 0)])
                print(f"round {number + 1} {name}: batches of {args.batch}: {len(calls)} calls in {batched:.1f} s = "
                      f"{fig['rates'][-1]:.0f} calls/s {statuses}, CPU per call: Odoo {fig['cpu'][-1]:.2f} ms, "
                      f"PostgreSQL {fig['pg'][-1]:.2f} ms; one call per request: p50 {fig['p50'][-1]:.1f} ms, "
                      f"p95 {fig['p95'][-1]:.1f} ms, CPU per call: Odoo {fig['single_cpu'][-1]:.1f} ms, PostgreSQL "
                      f"{fig['single_pg'][-1]:.1f} ms; load average before {load:.1f}", flush=True)
        for name, fig in figures.items():
            print(f"{name}: median of {args.rounds} rounds: batches {statistics.median(fig['rates']):.0f} calls/s "
                  f"(min {min(fig['rates']):.0f}, max {max(fig['rates']):.0f}), server CPU per call "
                  f"{statistics.median(fig['cpu']):.2f} ms Odoo + {statistics.median(fig['pg']):.2f} ms PostgreSQL "
                  f"(= {1000 / statistics.median(fig['server']):.0f} calls per CPU-second); single calls "
                  f"p50 {statistics.median(fig['p50']):.1f} ms, "
                  f"p95 {statistics.median(fig['p95']):.1f} ms (max {max(fig['p95']):.1f} ms), server CPU per "
                  f"single call {statistics.median(fig['single_cpu']):.1f} ms Odoo + "
                  f"{statistics.median(fig['single_pg']):.1f} ms PostgreSQL")
        if args.baseline_root:
            for fig in figures.values():
                fig["single_server"] = [o + p for o, p in zip(fig["single_cpu"], fig["single_pg"], strict=True)]
            for label, key, invert in [("batched calls/s", "rates", False),
                                       ("server CPU (Odoo + PostgreSQL) per call", "server", True),
                                       ("server CPU per single call", "single_server", True)]:
                ratios = [(b / c if invert else c / b) if b and c else float("nan")
                          for b, c in zip(figures["baseline"][key], figures["current"][key], strict=True)]
                print(f"{label}, current against baseline (higher is better): median ratio "
                      f"{statistics.median(ratios):.2f}x (per round {', '.join(f'{r:.2f}' for r in ratios)})")
        print(f"{os.cpu_count()} CPUs, load average now {os.getloadavg()[0]:.1f}")
    finally:
        for proc in procs.values():
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()
