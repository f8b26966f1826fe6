#!/usr/bin/env python3
"""Load test: many users at once on Odoo with prefork workers (Locust).

1. installs every module of the suite with demo data on its own database
   (``--reuse`` skips steps 1-2), then adds ``--clients`` clients in 10
   departments (``client_guard_bench.populate``), ``--salespeople`` salespeople
   at the own-clients level (``load_sp<i>``, curator of their share of the
   clients, PBX extension ``1000+i``), ``--heads`` heads of department
   (``load_head<i>``, leaders of two departments each) and the PBX
   integration user ``load_pbx``; ``VACUUM ANALYZE`` (autovacuum may be off);
2. starts Odoo on loopback with ``--workers`` (``--max-cron-threads 1``, a
   gevent port of its own, like production);
3. runs Locust headless (its own virtualenv, ``--locust``) for ``--duration``:
   the salespeople (client list, form + chatter, note, activity, search), the
   heads, the PBX pushing one call every ``--pbx-period`` seconds over XML-RPC
   ``register_calls``, the security officer reading the logs
   (``benchmarks/load/locustfile.py``);
4. prints requests per second, p50/p95/p99 and errors per kind of request,
   the server's ERROR lines, and checks the database: every call the PBX
   pushed is stored exactly once, every note written is there once.

Exit code 1 on a server error, a failed request or a failed check. The p95
target (300 ms for the salespeople's requests) is reported, not enforced
(it depends on the machine and its load, printed with ``uptime``).

Usage: python3 benchmarks/load/run_load.py [--clients 100000] [--duration 300] [--salespeople 50] [--heads 5]
           [--workers 4] [--db load_test] [--reuse] [--keep-db]
"""

import argparse
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tools"))

from _odoo import ROOT, registry  # noqa: E402
from run_tests import check_odoo, db_params, drop_db, free_port, modules, odoo_cmd, pg_connect  # noqa: E402

SALES_TARGET_P95_MS = 300
# Locust's own virtualenv, in the checkout or next to it (/work/wt/.venv-locust for the worktrees)
DEFAULT_LOCUST = next((path for path in (os.path.join(folder, ".venv-locust", "bin", "locust")
                                         for folder in (ROOT, os.path.dirname(ROOT))) if os.path.exists(path)),
                      "locust")


def install(odoo, params, db, log_dir):
    drop_db(params, db)
    log = os.path.join(log_dir, f"load-install-{db}.log")
    cmd = odoo_cmd(odoo, params, db, "-i", ",".join(modules()), "--stop-after-init", "--http-port", "0",
                   "--logfile", log)
    print(f"installing the suite with demo data on {db} (log: {log})", flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)


def fill(db, clients, salespeople, heads):
    """Departments, people and clients. The clients are copies of one client
    created through the ORM (so every column any installed module adds has
    its value), inserted in one statement with their own name, curator,
    department, e-mail and phone."""
    reg = registry(db)
    from odoo import SUPERUSER_ID, Command, api  # noqa: PLC0415

    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        t0 = time.perf_counter()
        teams = env["crm.team"].create([{"name": f"Load department {i}"} for i in range(10)])
        Users = env["res.users"].with_context(no_reset_password=True, mail_create_nosubscribe=True)
        own = [env.ref(x).id for x in ("base.group_user", "client_guard.group_scope_own")]
        users = Users.create([{"name": f"Salesperson {i}", "login": f"load_sp{i}",
                               "pbx_extension": str(1000 + i), "groups_id": [Command.set(own)]}
                              for i in range(salespeople)])
        env["crm.team.member"].create([{"crm_team_id": teams[i % 10].id, "user_id": user.id}
                                       for i, user in enumerate(users)])
        head_groups = [env.ref(x).id for x in (
            "base.group_user", "client_guard.group_scope_department", "client_guard.group_manage_curators",
            "sales_team.group_sale_salesman_all_leads")]
        for i in range(heads):
            head = Users.create({"name": f"Head {i}", "login": f"load_head{i}",
                                 "groups_id": [Command.set(head_groups)]})
            teams[2 * i % 10:2 * i % 10 + 2].write({"user_id": head.id})
        Users.create({"name": "PBX (load test)", "login": "load_pbx",
                      "groups_id": [Command.set([env.ref("pbx_call_capture.group_pbx_integration").id])]})
        # loopback only: no job that calls Odoo's online services (lead enrichment, IAP)
        cr.execute("UPDATE ir_cron SET active = false WHERE id IN (SELECT res_id FROM ir_model_data"
                   " WHERE model = 'ir.cron' AND module LIKE '%%iap%%')")
        template = env["res.partner"].create({
            "name": "Client 0", "is_company": True, "user_id": users[0].id, "team_id": teams[0].id,
            "email": "client0@example.com", "phone": "+74950000000", "city": "Moscow", "lang": "en_US"})
        env.flush_all()
        cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'res_partner'"
                   " AND column_name != 'id'")
        columns = [row[0] for row in cr.fetchall()]
        values = {
            "name": "'Client ' || g", "complete_name": "'Client ' || g", "email": "'client' || g || '@example.com'",
            "email_normalized": "'client' || g || '@example.com'",
            "phone": "'+7495' || lpad(g::text, 7, '0')", "phone_e164": "'+7495' || lpad(g::text, 7, '0')",
            "user_id": "(%(users)s)[1 + g %% %(nusers)s]",
            "team_id": "(%(teams)s)[1 + (g %% %(nusers)s) %% 10]",
            # client_guard's stored visibility key: the client's department (as its compute says)
            "client_guard_scope_key": "(%(teams)s)[1 + (g %% %(nusers)s) %% 10]",
            "is_private": "g %% 500 = 0", "intake_name_key": "NULL", "commercial_partner_id": "NULL",
            "create_date": "now()", "write_date": "now()",
        }
        cr.execute(
            f"INSERT INTO res_partner ({', '.join(columns)}) SELECT "
            f"{', '.join(values.get(c, f't.{c}') for c in columns)}"
            f" FROM res_partner t, generate_series(1, %(clients)s) g WHERE t.id = %(template)s",
            {"users": users.ids, "nusers": salespeople, "teams": teams.ids, "clients": clients,
             "template": template.id})
        cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
        cr.commit()
        print(f"filled {clients} clients, {salespeople} salespeople, {heads} heads in "
              f"{time.perf_counter() - t0:.0f} s", flush=True)


def set_passwords(cr):
    """password = login for the load test's users and the demo officer, hashed
    with 1,000 PBKDF2 rounds instead of Odoo's 600,000: a login costs a
    millisecond instead of half a second of CPU (57 logins through 4 workers
    would otherwise take the first minutes of a short run). Odoo checks the
    hash with the rounds it names."""
    from passlib.hash import pbkdf2_sha512  # noqa: PLC0415

    cr.execute("SELECT id, login FROM res_users WHERE login LIKE 'load\\_%%' OR login = 'officer'")
    for uid, login in cr.fetchall():
        cr.execute("UPDATE res_users SET password = %s WHERE id = %s",
                   [pbkdf2_sha512.using(rounds=1000).hash(login), uid])


def vacuum(params, db):
    conn = pg_connect(params, dbname=db)
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute("VACUUM ANALYZE")
    conn.close()


def start_server(odoo, params, db, workers, log):
    port = free_port()
    cmd = odoo_cmd(odoo, params, db, "--db-filter", f"^{db}$", "--http-interface", "127.0.0.1",
                   "--http-port", str(port), "--gevent-port", str(free_port()), "--workers", str(workers),
                   "--max-cron-threads", "1", "--limit-time-real", "600", "--limit-time-cpu", "300",
                   "--logfile", log, "--log-level", "info")
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import xmlrpc.client  # noqa: PLC0415

    deadline = time.time() + 180
    while True:
        try:
            xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/common").version()
            return server, f"http://127.0.0.1:{port}"
        except OSError:
            if time.time() > deadline or server.poll() is not None:
                server.kill()
                raise SystemExit(f"the server did not start; see {log}") from None
            time.sleep(0.5)


def login_all(url, db, logins, workers):
    """Opens a web session for every person before the measure (people log
    in once a day; a login costs Odoo 600,000 PBKDF2 rounds), a few at once,
    so that every worker also loads the database's registry."""
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    import requests  # noqa: PLC0415

    def one(login):
        response = requests.post(f"{url}/web/session/authenticate", timeout=600, json={
            "jsonrpc": "2.0", "method": "call", "params": {"db": db, "login": login, "password": login}})
        result = response.json().get("result") or {}
        if not result.get("uid"):
            raise SystemExit(f"login failed for {login}: {response.text[:300]}")
        return login, {"sid": response.cookies["session_id"], "uid": result["uid"]}

    with ThreadPoolExecutor(workers) as pool:
        return dict(pool.map(one, logins))


def percentile(values, pct):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def report(timings, failures, duration):
    print(f"\n{'request':<36} {'count':>6} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6}  (ms)")
    groups = {"all salespeople's requests": [], "all heads' requests": []}
    for name in sorted(timings):
        values = timings[name]
        fails = failures.get(name, 0)
        print(f"{name:<36} {len(values):>6} {len(values) / duration:>6.1f} {percentile(values, 50):>6.0f} "
              f"{percentile(values, 95):>6.0f} {percentile(values, 99):>6.0f} {fails:>6}")
        if name.startswith("sales:"):
            groups["all salespeople's requests"] += values
        elif name.startswith("head:"):
            groups["all heads' requests"] += values
    total = sum(len(v) for v in timings.values())
    print(f"{'total':<36} {total:>6} {total / duration:>6.1f}")
    for name, values in groups.items():
        print(f"{name:<36} {len(values):>6} {len(values) / duration:>6.1f} {percentile(values, 50):>6.0f} "
              f"{percentile(values, 95):>6.0f} {percentile(values, 99):>6.0f}")
    return percentile(groups["all salespeople's requests"], 95)


def verify(params, db, journal):
    """Every call the PBX pushed is stored once; every note written is there once."""
    problems = []
    conn = pg_connect(params, dbname=db)
    with conn.cursor() as cr:
        cr.execute("SELECT uniqueid, count(*) FROM pbx_call WHERE uniqueid LIKE %s GROUP BY uniqueid",
                   [f"load.{journal['run_id']}.%"])
        stored = dict(cr.fetchall())
        cr.execute("SELECT res_id, body FROM mail_message WHERE model = 'res.partner' AND body LIKE %s",
                   [f"%load-{journal['run_id']}-%"])
        notes = {}
        for res_id, body in cr.fetchall():
            for token in re.findall(r"load-[0-9a-f]{8}-[0-9a-f]{32}", body):
                notes.setdefault(token, []).append(res_id)
    conn.close()
    acknowledged = [c for c in journal["calls"] if c["status"] in ("created", "updated", "duplicate")]
    unanswered = [c for c in journal["calls"] if c["status"] is None]
    twice = {uid: n for uid, n in stored.items() if n != 1}
    missing = [c["uniqueid"] for c in acknowledged if c["uniqueid"] not in stored]
    if twice:
        problems.append(f"{len(twice)} call(s) stored more than once: {list(twice)[:5]}")
    if missing:
        problems.append(f"{len(missing)} acknowledged call(s) not stored: {missing[:5]}")
    print(f"\nPBX: {len(journal['calls'])} calls pushed, {len(acknowledged)} acknowledged, {len(unanswered)} without "
          f"an answer, {len(stored)} stored, {len(twice)} stored more than once, {len(missing)} missing")
    written = [n for n in journal["notes"] if n["ok"]]
    lost = [n["token"] for n in written if notes.get(n["token"]) != [n["partner"]]]
    if lost:
        problems.append(f"{len(lost)} note(s) missing, duplicated or on another record: {lost[:5]}")
    print(f"notes: {len(journal['notes'])} posted, {len(written)} answered OK, {len(notes)} found in the database, "
          f"{len(lost)} missing/duplicated")
    return problems


def uptime():
    return subprocess.run(["uptime"], check=False, capture_output=True, text=True).stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="load_test")
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--salespeople", type=int, default=50)
    parser.add_argument("--heads", type=int, default=5)
    parser.add_argument("--duration", type=int, default=300, help="seconds of load")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second")
    parser.add_argument("--think", default="2,8", help="min,max seconds between two actions of a person")
    parser.add_argument("--pbx-period", type=float, default=0.1, help="seconds between two calls pushed")
    parser.add_argument("--pbx-lines", type=int, default=4, help="connections the PBX pushes through")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--locust", default=DEFAULT_LOCUST, help="the locust command (own virtualenv)")
    parser.add_argument("--reuse", action="store_true", help="reuse a database filled by a previous run")
    parser.add_argument("--installed", action="store_true", help="the suite is installed on --db: only fill it")
    parser.add_argument("--keep-db", action="store_true", help="keep the database (for --reuse)")
    args = parser.parse_args()
    if not shutil.which(args.locust):
        raise SystemExit(f"{args.locust} not found: python3 -m venv /work/wt/.venv-locust && "
                         "/work/wt/.venv-locust/bin/pip install locust (never into Odoo's Python)")

    odoo = check_odoo()
    params = db_params()
    log_dir = os.path.join(ROOT, ".test-logs")
    os.makedirs(log_dir, exist_ok=True)
    if not args.reuse:
        if not args.installed:
            install(odoo, params, args.db, log_dir)
        fill(args.db, args.clients, args.salespeople, args.heads)
    conn = pg_connect(params, dbname=args.db)
    with conn, conn.cursor() as cr:
        set_passwords(cr)  # again on --reuse: a login replaces the hash with a 600,000-round one
    conn.close()
    vacuum(params, args.db)
    server_log = os.path.join(log_dir, f"load-server-{args.db}.log")
    if os.path.exists(server_log):
        os.unlink(server_log)
    print(f"uptime before: {uptime()}", flush=True)
    server, url = start_server(odoo, params, args.db, args.workers, server_log)
    work = tempfile.mkdtemp(prefix="load-")
    journal_path = os.path.join(work, "journal.json")
    sessions_path = os.path.join(work, "sessions.json")
    users = args.salespeople + args.heads + 1 + args.pbx_lines
    env = dict(os.environ, LOAD_DB=args.db, LOAD_JOURNAL=journal_path, LOAD_SESSIONS=sessions_path,
               LOAD_SALESPEOPLE=str(args.salespeople), LOAD_HEADS=str(args.heads),
               LOAD_PBX_PERIOD=str(args.pbx_period), LOAD_PBX_LINES=str(args.pbx_lines), LOAD_THINK=args.think,
               LOAD_CLIENTS=str(args.clients))
    problems = []
    try:
        t0 = time.time()
        logins = [f"load_sp{i}" for i in range(args.salespeople)] + [f"load_head{i}" for i in range(args.heads)]
        sessions = login_all(url, args.db, [*logins, "officer"], args.workers)
        import xmlrpc.client  # noqa: PLC0415

        sessions["load_pbx"] = {"uid": xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(
            args.db, "load_pbx", "load_pbx", {})}
        with open(sessions_path, "w", encoding="utf-8") as handle:
            json.dump(sessions, handle)
        print(f"{len(logins) + 1} people logged in in {time.time() - t0:.0f} s", flush=True)
        started = time.time()
        proc = subprocess.run(
            [args.locust, "-f", os.path.join(HERE, "locustfile.py"), "--headless", "--host", url,
             "-u", str(users), "-r", str(args.spawn_rate), "-t", f"{args.duration}s", "--stop-timeout", "30",
             "--csv", os.path.join(work, "stats"), "--only-summary", "--loglevel", "WARNING"],
            check=False, env=env, cwd=work, capture_output=True, text=True)
        elapsed = time.time() - started
        print(f"uptime after: {uptime()}", flush=True)
        if proc.returncode not in (0, 1):
            print(proc.stdout[-3000:], proc.stderr[-3000:])
            problems.append(f"locust exited with {proc.returncode}")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
    with open(journal_path, encoding="utf-8") as handle:
        journal = json.load(handle)
    failures = {}
    with open(os.path.join(work, "stats_failures.csv"), encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        failures[row["Name"]] = failures.get(row["Name"], 0) + int(row["Occurrences"])
        print(f"FAILED {row['Name']} x{row['Occurrences']}: {row['Error'][:300]}")
    with open(os.path.join(work, "stats_exceptions.csv"), encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            problems.append(f"locustfile error x{row['Count']}: {row['Message']}")
    duration = min(args.duration, elapsed)
    print(f"requests cut by the end of the run (not counted): {journal.get('interrupted', 0)}")
    print(f"\n{args.clients} clients, {args.salespeople} salespeople, {args.heads} heads, PBX every "
          f"{args.pbx_period} s through {args.pbx_lines} connections, 1 officer; "
          f"--workers {args.workers}; {duration:.0f} s of load")
    sales_p95 = report(journal["timings"], failures, duration)
    if failures:
        problems.append(f"{sum(failures.values())} failed request(s)")
    with open(server_log, encoding="utf-8", errors="replace") as handle:
        errors = [line for line in handle if re.search(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", line)]
    for line in errors[:10]:
        print("server:", line.rstrip()[:300])
    if errors:
        problems.append(f"{len(errors)} ERROR line(s) in the server log ({server_log})")
    problems += verify(params, args.db, journal)
    print(f"\nsalespeople's p95: {sales_p95:.0f} ms (target < {SALES_TARGET_P95_MS} ms on 100,000 clients): "
          f"{'met' if sales_p95 < SALES_TARGET_P95_MS else 'NOT met'}")
    if not args.keep_db:
        drop_db(params, args.db)
    for problem in problems:
        print("PROBLEM:", problem)
    print("load test:", "OK" if not problems else "FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
