#!/usr/bin/env python3
"""The web client's own calls, replayed over HTTP for each visibility level
and the administrator, on 100,000 (or 1,000,000) clients in 10 departments.

1. fills a database (``client_guard`` and CRM, no demo data) with the clients
   of ``client_guard_bench.py`` (10 departments, 50 department-level
   curators), 30,000 opportunities, one follower and two lines of curator
   history per client (as the ORM writes them), adds an own-level and an
   all-level user, then runs ``VACUUM ANALYZE`` (autovacuum
   is off on the benchmark machine: without it the new rows are not in the
   visibility map, so no index-only scan, and the statistics are stale) and
   rebuilds the indexes of ``res_partner`` that PostgreSQL flagged
   ``indcheckxmin`` (see ``vacuum``);
2. starts Odoo on it (``--workers 0``, stock PostgreSQL settings; client_guard
   turns JIT off for its database when it installs);
3. logs each user in through ``/web/session/authenticate`` and replays the
   calls captured from a browser (``webclient_calls.json``, see
   ``capture_webclient_calls.py``) with the benchmark's ids: the client list
   with ``count_limit=10001``, the opportunity pipeline, a client's form
   (``web_read`` with the form's specification), the chatter
   (``/mail/thread/data``, ``/mail/thread/messages``) and the many2one search;
4. in interleaved rounds (each round times every call once for every user,
   in a shuffled order), prints the median of each call per user and the
   ratio of each level to the administrator.

With ``--oca-addons PATH`` (a folder holding OCA's ``sales_team_security``
18.0, unpacked from its wheel, never installed next to Odoo), the same data
is filled in a second database with OCA's module instead of the suite (its
own-documents, team-documents and all-documents salespeople; the curators
follow their clients as OCA's module makes them), a second server is started
on it, and its users are timed in the same rounds.

Usage: python3 benchmarks/webclient_calls_bench.py [--db bench_webclient] [--clients 100000] [--reuse]
           [--rounds 31] [--modules client_guard,crm] [--oca-addons PATH] [--fill-only]
"""

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time

import requests
from _odoo import ROOT, addons_path, db_args, install, registry
from client_guard_bench import populate
from client_guard_leak_rules_bench import populate_leads

HERE = os.path.dirname(os.path.abspath(__file__))
KEEP_METHODS = {"web_search_read", "web_read", "read_progress_bar", "web_read_group", "name_search",
                "web_name_search"}


OCA_GROUPS = {  # OCA's sales_team_security: own documents, team documents, all documents
    "curators": ["base.group_user", "sales_team_security.group_sale_team_manager"],
    "bench_own": "sales_team.group_sale_salesman",
    "bench_all": "sales_team.group_sale_salesman_all_leads",
}


def populate_levels(env, oca=False):
    """An own-level and an all-level user next to the department-level ones
    of ``populate`` (bench0 is a department-level curator); with OCA's
    module, its own-documents and all-documents salespeople."""
    Users = env["res.users"].with_context(no_reset_password=True, mail_create_nosubscribe=True)
    teams = env["crm.team"].search([("name", "like", "Bench department")], order="id")
    base = env.ref("base.group_user").id
    for login, level in (("bench_own", "client_guard.group_scope_own"), ("bench_all", "client_guard.group_scope_all")):
        group = OCA_GROUPS[login] if oca else level
        user = Users.create({"name": login, "login": login, "password": login,
                             "groups_id": [(6, 0, [base, env.ref(group).id])]})
        env["crm.team.member"].create({"crm_team_id": teams[0].id, "user_id": user.id})
        # curator of as many clients as a department-level curator (and their follower, as in populate_leads)
        env.cr.execute("UPDATE res_partner SET user_id = %s WHERE id IN (SELECT id FROM res_partner"
                       " WHERE name LIKE 'Client %%' AND id %% 50 = %s)",
                       [user.id, 1 if login == "bench_own" else 2])
        env.cr.execute("UPDATE mail_followers f SET partner_id = %s FROM res_partner c WHERE f.res_model ="
                       " 'res.partner' AND f.res_id = c.id AND c.user_id = %s", [user.partner_id.id, user.id])
    env.ref("base.user_admin").password = "admin"
    env["res.users"].search([("login", "=", "bench0")]).password = "bench0"


def populate_history(env):
    """The curator history that the ORM writes for each client (a line when
    it gets a curator, one more at each change): a year ago its first
    curator (bench1), replaced 100 days ago by the current one, both changes
    made by the administrator: two lines on every client card."""
    env.cr.execute("""
        WITH c AS (SELECT p.id, p.user_id, f.id AS first, a.id AS admin
                     FROM res_partner p, res_users f, res_users a
                    WHERE p.name LIKE 'Client %%' AND p.user_id IS NOT NULL AND f.login = 'bench1'
                      AND a.login = 'admin')
        INSERT INTO res_partner_curator_history (partner_id, user_id, previous_user_id, changed_by_id, date_from,
                                                date_to, create_uid, create_date, write_uid, write_date)
        SELECT id, first, NULL, admin, now() - interval '400 days', now() - interval '100 days', admin, now(),
               admin, now() FROM c
        UNION ALL
        SELECT id, user_id, first, admin, now() - interval '100 days', NULL, admin, now(), admin, now() FROM c""")


def fill(db, clients, modules, extra_addons=None, oca=False):
    install(db, modules, addons=extra_addons)
    reg = registry(db, addons=extra_addons)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        t0 = time.perf_counter()
        populate(env, clients=clients, group_xmlids=OCA_GROUPS["curators"] if oca else None)
        populate_leads(env, leads=clients * 3 // 10)
        populate_levels(env, oca=oca)
        if not oca:
            populate_history(env)
        env.flush_all()
        cr.commit()
        print(f"filled {db}: {clients} clients in {time.perf_counter() - t0:.0f} s", flush=True)
    vacuum(db)


def vacuum(db):
    import psycopg2  # noqa: PLC0415

    conn = psycopg2.connect(dbname=db, host=os.environ.get("PGHOST", "127.0.0.1"),
                            user=os.environ.get("PGUSER", "odoo"), password=os.environ.get("PGPASSWORD", "odoo"))
    conn.autocommit = True
    t0 = time.perf_counter()
    with conn.cursor() as cr:
        cr.execute("VACUUM ANALYZE")
        # An index built in the transaction that installs the module, on a table that this
        # transaction has updated, is flagged ``indcheckxmin``: PostgreSQL ignores it for any
        # snapshot older than that transaction. On a server shared with long test runs (one
        # transaction each) that lasts as long as they do; rebuilt after the vacuum, it is not.
        cr.execute("SELECT indexrelid::regclass::text FROM pg_index WHERE indcheckxmin"
                   " AND indrelid = 'res_partner'::regclass")
        for (index,) in cr.fetchall():
            cr.execute(f'REINDEX INDEX "{index}"')
            print(f"rebuilt {index} (indcheckxmin)", flush=True)
    conn.close()
    print(f"VACUUM ANALYZE in {time.perf_counter() - t0:.0f} s", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db, extra_addons=None):
    port = free_port()
    paths = addons_path() + (f",{extra_addons}" if extra_addons else "")
    cmd = [sys.executable, "-m", "odoo", "-c", os.path.join(ROOT, "odoo.conf"), "-d", db, "--db-filter", f"^{db}$",
           "--addons-path", paths, *db_args(), "--http-interface", "127.0.0.1", "--http-port", str(port),
           "--workers", "0", "--max-cron-threads", "0", "--log-level", "warn"]
    server = subprocess.Popen(cmd, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    for _i in range(240):
        try:
            requests.get(f"{url}/web/webclient/version_info", timeout=2)
            return server, url
        except requests.RequestException:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the Odoo server did not start")


class Session:
    def __init__(self, url, db, login):
        self.url, self.http = url, requests.Session()
        answer = self.http.post(f"{url}/web/session/authenticate", json={
            "jsonrpc": "2.0", "method": "call", "params": {"db": db, "login": login, "password": login}}).json()
        if not answer.get("result", {}).get("uid"):
            raise SystemExit(f"login failed for {login}: {answer}")
        self.uid = answer["result"]["uid"]

    def post(self, path, body):
        start = time.perf_counter()
        answer = self.http.post(f"{self.url}{path}", json=body).json()
        elapsed = (time.perf_counter() - start) * 1000
        if "error" in answer:
            raise SystemExit(f"{path}: {answer['error'].get('data', {}).get('message')}")
        return elapsed, answer.get("result")


def substitute(value, mapping):
    """Replace ids of the capture database by the benchmark's (domain leaves
    and record ids), recursively."""
    if isinstance(value, list):
        if len(value) == 3 and isinstance(value[0], str) and value[0] in mapping:
            field_map = mapping[value[0]]
            operand = value[2]
            if isinstance(operand, list):
                return [value[0], value[1], [field_map.get(v, v) for v in operand]]
            return [value[0], value[1], field_map.get(operand, operand)]
        return [substitute(item, mapping) for item in value]
    if isinstance(value, dict):
        return {key: substitute(item, mapping) for key, item in value.items()}
    return value


def prepare_calls(captured, env_ids, capture_ids):
    """(name, path, body builder(uid)) of the calls to replay."""
    stage_map = dict(zip(sorted(capture_ids["stages"]), sorted(env_ids["stages"]), strict=False))
    client = env_ids["client"]
    calls = []
    seen = set()
    for call in captured:
        body = call["body"]
        params = body.get("params", {})
        method = params.get("method") or call["path"].rsplit("/", 1)[-1]
        model = params.get("model", "")
        name = f"{call['step']}: {model} {method}".strip()
        if method not in KEEP_METHODS and not call["path"].startswith("/mail/"):
            continue  # views, menus, rights: the same for every user
        key = (call["step"], model, method, json.dumps(params.get("kwargs", {}).get("domain"), sort_keys=True))
        if key in seen:
            continue
        seen.add(key)
        if call["step"] == "many2one_search" and method not in ("web_name_search", "name_search", "name_search_read"):
            continue
        if call["step"] == "many2one_search":
            seen_m2o = [c for c in calls if c[0].startswith("many2one_search")]
            if seen_m2o:  # keep the last keystroke's call only
                calls.remove(seen_m2o[0])
        if call["step"] == "client_form":
            if call["path"].startswith("/mail/"):
                params = dict(params, thread_id=client)
            elif method == "web_read" and model == "res.partner":
                params = dict(params, args=[[client], *params.get("args", [])[1:]])
            elif model != "res.partner":
                continue
        params = substitute(params, {"stage_id": stage_map})
        calls.append((name, call["path"], dict(body, params=params)))
    return calls


def strip_uid(value, capture_uid):
    """The pipeline's default filter "My Pipeline" (``user_id = uid``) is
    dropped: every user opens all the opportunities they see."""
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, list) and len(item) == 3 and item[0] == "user_id" and item[2] == capture_uid:
                out.append([1, "=", 1])
            else:
                out.append(strip_uid(item, capture_uid))
        return out
    if isinstance(value, dict):
        return {key: strip_uid(item, capture_uid) for key, item in value.items()}
    return value


def connect(db):
    import psycopg2  # noqa: PLC0415

    return psycopg2.connect(dbname=db, host=os.environ.get("PGHOST", "127.0.0.1"),
                            user=os.environ.get("PGUSER", "odoo"), password=os.environ.get("PGPASSWORD", "odoo"))


def benchmark_ids(db, oca=False):
    """The stages, a client every user of ``db`` may open (its form and its
    chatter) and PostgreSQL's ``jit`` setting."""
    conn = connect(db)
    with conn, conn.cursor() as cr:
        cr.execute("SELECT id FROM crm_stage ORDER BY id")
        stages = [row[0] for row in cr.fetchall()]
        cr.execute("SELECT u.id FROM res_users u WHERE login = 'bench0'")
        dept_uid = cr.fetchone()[0]
        guard = "" if oca else " AND p.is_client AND NOT p.is_private"
        # a client curated by the own-level user in the department user's team (OCA: no departments on clients)
        join = "" if oca else " JOIN crm_team_member m ON m.crm_team_id = p.team_id AND m.user_id = %(dept)s"
        cr.execute(f"SELECT p.id FROM res_partner p{join}"
                   " JOIN res_users o ON o.id = p.user_id AND o.login = 'bench_own'"
                   f" WHERE p.name LIKE 'Client %%'{guard} ORDER BY p.id LIMIT 1",
                   {"dept": dept_uid})
        row = cr.fetchone()
        if not row:  # make one: a client of the department user's team, curated by the own-level user
            cr.execute("UPDATE res_partner SET user_id = (SELECT id FROM res_users WHERE login = 'bench_own')"
                       " WHERE id = (SELECT p.id FROM res_partner p JOIN crm_team_member m"
                       f" ON m.crm_team_id = p.team_id WHERE m.user_id = %s{guard}"
                       " AND p.name LIKE 'Client %%' ORDER BY p.id LIMIT 1) RETURNING id", [dept_uid])
            row = cr.fetchone()
        client = row[0]
        if oca:  # OCA's team and own-documents users see the clients they follow: bench0 follows it
            cr.execute("INSERT INTO mail_followers (res_model, res_id, partner_id) SELECT 'res.partner', %s,"
                       " partner_id FROM res_users WHERE login = 'bench0' ON CONFLICT DO NOTHING", [client])
        cr.execute("SELECT setting FROM pg_settings WHERE name = 'jit'")
        jit = cr.fetchone()[0]
        cr.execute("SELECT model, array_agg(name) FROM ir_model_fields GROUP BY model")
        fields = {model: set(names) for model, names in cr.fetchall()}
    conn.close()
    return stages, client, jit, fields


def known_fields(body, fields):
    """Without the suite (OCA's database), the specification of a call loses
    the suite's fields (department, private flag, curator history...)."""
    params = body.get("params", {})
    spec = params.get("kwargs", {}).get("specification")
    if not spec or params.get("model") not in fields:
        return body
    spec = {name: value for name, value in spec.items() if name in fields[params["model"]]}
    return dict(body, params=dict(params, kwargs=dict(params["kwargs"], specification=spec)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_webclient")
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="reuse the databases filled by a previous run")
    parser.add_argument("--rounds", type=int, default=31)
    parser.add_argument("--modules", default="client_guard,crm")
    parser.add_argument("--users", default="admin:admin,own:bench_own,department:bench0,all:bench_all",
                        help="label:login pairs")
    parser.add_argument("--oca-addons", help="an addons folder holding OCA's sales_team_security (unpacked "
                        "from its wheel): the same data in a second database with OCA's module instead of "
                        "the suite, timed in the same rounds")
    parser.add_argument("--oca-db", default="bench_webclient_oca")
    parser.add_argument("--oca-users", default="oca_admin:admin,oca_own:bench_own,oca_team:bench0,"
                        "oca_all:bench_all")
    parser.add_argument("--calls", default=os.path.join(HERE, "webclient_calls.json"))
    parser.add_argument("--fill-only", action="store_true", help="fill the database(s) and stop")
    parser.add_argument("--fill-oca-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    targets = [(args.db, None, args.users, False)]
    if args.oca_addons:
        targets.append((args.oca_db, os.path.abspath(args.oca_addons), args.oca_users, True))
    if args.fill_oca_only:
        fill(args.oca_db, args.clients, "crm,sales_team_security", os.path.abspath(args.oca_addons), oca=True)
        return
    if not args.reuse or args.fill_only:
        fill(args.db, args.clients, args.modules)
        if args.oca_addons:  # Odoo's configuration is parsed once per process: a process of its own
            subprocess.run([sys.executable, os.path.abspath(__file__), "--fill-oca-only", "--oca-db", args.oca_db,
                            "--oca-addons", args.oca_addons, "--clients", str(args.clients)], check=True)
    if args.fill_only:
        return
    with open(args.calls, encoding="utf-8") as handle:
        captured = json.load(handle)
    meta = captured[0]["meta"] if captured and "meta" in captured[0] else {}
    captured = [call for call in captured if "body" in call]
    servers, users, calls_of, jits = [], {}, {}, {}
    try:
        for db, addons, pairs, oca in targets:
            stages, client, jits[db], fields = benchmark_ids(db, oca)
            calls = prepare_calls(captured, {"stages": stages, "client": client},
                                  {"stages": meta.get("stages", stages)})
            calls = [(name, path, known_fields(strip_uid(body, meta.get("uid")), fields))
                     for name, path, body in calls]
            server, url = start_server(db, addons)
            servers.append(server)
            for pair in pairs.split(","):
                label, login = pair.split(":")
                users[label] = Session(url, db, login)
                calls_of[label] = calls
        names = [name for name, _p, _b in calls_of[next(iter(users))]]
        samples = {(name, label): [] for name in names for label in users}
        for label, session in users.items():  # warm-up: caches, query plans
            for _name, path, body in calls_of[label]:
                session.post(path, body)
        t0 = time.perf_counter()
        for _round in range(args.rounds):
            for index, call_name in enumerate(names):
                labels = list(users)
                random.shuffle(labels)
                for label in labels:
                    _name, path, body = calls_of[label][index]
                    elapsed, _result = users[label].post(path, body)
                    samples[(call_name, label)].append(elapsed)
        print(f"\n{len(names)} calls x {len(users)} users x {args.rounds} interleaved rounds in "
              f"{time.perf_counter() - t0:.0f} s; {args.clients} clients; PostgreSQL jit = {jits}; "
              f"load average {os.getloadavg()[0]:.1f}")
        labels = list(users)
        ratios = [(label, "admin") for label in labels if label not in ("admin", "oca_admin")
                  and not label.startswith("oca_")]
        ratios += [(label, "oca_admin") for label in labels if label.startswith("oca_") and label != "oca_admin"]
        if "oca_team" in users:
            ratios += [(label, "oca_team") for label in ("own", "department") if label in users]
        ratios = [(a, b) for a, b in ratios if b in users]
        header = f"{'call (median ms)':50}" + "".join(f"{label:>11}" for label in labels)
        header += "".join(f"{f'{a}/{b}':>21}" for a, b in ratios)
        print(header)
        for call_name in names:
            medians = {label: statistics.median(samples[(call_name, label)]) for label in labels}
            line = f"{call_name[:50]:50}" + "".join(f"{medians[label]:>11.1f}" for label in labels)
            line += "".join(f"{medians[a] / medians[b]:>21.2f}" for a, b in ratios)
            print(line)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(30)


if __name__ == "__main__":
    main()
