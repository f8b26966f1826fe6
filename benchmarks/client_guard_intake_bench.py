#!/usr/bin/env python3
"""Benchmark of client_guard_intake: a manager's 20,000-row spreadsheet (CSV)
against a base of 100,000 clients: preview (parse, match every row against the
whole base and the other rows) and import (create the new clients with their
contacts, add the missing data to the matched ones, flag the conflicts).

A quarter of the rows are clients already in the base (by phone in another
format, e-mail, tax id or name), 5% repeat another row, 1% are errors.

The base is built once in a template database (``<db>_tpl``, kept between
runs unless --rebuild); every round runs on a fresh copy of it, so rounds are
comparable. Each phase prints its wall time, its CPU time (this process, which
does the Odoo server's work, and its PostgreSQL backend, read from /proc: the
figure that does not grow with the machine's load) and its query count.

Usage: python3 benchmarks/client_guard_intake_bench.py [--db bench_intake] [--clients 100000] [--rows 20000]
       [--rounds 1] [--rebuild] [--profile /tmp/intake.prof] [--keep]
"""

import argparse
import base64
import cProfile
import csv
import io
import os
import subprocess
import time

from _odoo import install, registry

os.environ.setdefault("PGOPTIONS", "-c jit=off")


def populate(env, clients):
    """100,000 clients spread over two curators, with their normalized keys,
    inserted with SQL for speed."""
    cr = env.cr
    env.company.country_id = env.ref("base.ru")
    team = env["crm.team"].create({"name": "Bench department"})
    groups = [(6, 0, [env.ref("base.group_user").id, env.ref("client_guard.group_scope_department").id])]
    Users = env["res.users"].with_context(no_reset_password=True)
    owner = Users.create({"name": "Bench owner", "login": "bench_owner", "groups_id": groups})
    other = Users.create({"name": "Bench other", "login": "bench_other", "groups_id": groups})
    head_groups = [(6, 0, [env.ref("base.group_user").id, env.ref("client_guard.group_scope_department").id,
                           env.ref("client_guard.group_manage_curators").id])]
    head = Users.create({"name": "Bench head", "login": "bench_head", "groups_id": head_groups})
    env["crm.team.member"].create([{"crm_team_id": team.id, "user_id": u.id} for u in (owner, other, head)])
    cr.execute("""
        INSERT INTO res_partner (name, complete_name, is_company, active, type, user_id, team_id, is_client,
                                 is_private, phone, phone_e164, email, email_normalized, vat, intake_vat_key,
                                 intake_name_key, create_date, write_date, create_uid, write_uid)
        SELECT 'Base client ' || g, 'Base client ' || g, true, true, 'contact',
               CASE WHEN g %% 2 = 0 THEN %(owner)s ELSE %(other)s END, %(team)s, true, g %% 50 = 0,
               '+7 495 ' || lpad(g::text, 7, '0'), '+7495' || lpad(g::text, 7, '0'),
               'client' || g || '@base.example', 'client' || g || '@base.example',
               (7700000000 + g)::text, (7700000000 + g)::text, 'base client ' || g,
               now() - interval '1 day', now() - interval '1 day', 1, 1
          FROM generate_series(1, %(n)s) g""", {"owner": owner.id, "other": other.id, "team": team.id, "n": clients})
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
    cr.execute("ANALYZE res_partner")
    return owner, head


def spreadsheet(rows, clients):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Наименование", "Телефон", "Почта", "ИНН", "Контактное лицо", "Город"])
    for i in range(rows):
        kind = i % 100
        base = 1 + (i * 37) % clients
        if kind < 25:  # already in the base, by one key or another, written another way
            key = kind % 4
            writer.writerow([
                f"Base client {base}" if key == 3 else f"Renamed {i}",
                f"8 (495) {base:07d}" if key == 0 else "",
                f"CLIENT{base}@base.example" if key == 1 else "",
                f"{7700000000 + base}" if key == 2 else "",
                "Иван Иванов", "Москва",
            ])
        elif kind < 30 and i >= 100:  # repeats a new client of an earlier row of the file
            j = i - 30
            writer.writerow([f"New client {j}", f"+7 812 {j:07d}", "", "", "", ""])
        elif kind < 31:
            writer.writerow([f"Broken {i}", "12", "", "", "", ""])
        else:
            writer.writerow([f"New client {i}", f"+7 812 {i:07d}", f"new{i}@file.example", "",
                             f"Контакт {i}", "Санкт-Петербург"])
    return base64.b64encode(buffer.getvalue().encode())


def pg(*args):
    subprocess.run([*args, "-h", os.environ.get("PGHOST", "127.0.0.1"), "-U", os.environ.get("PGUSER", "odoo")],
                   check=True, capture_output=True)


def build_template(template, clients, modules):
    install(template, modules)
    reg = registry(template)
    import odoo  # noqa: PLC0415

    with reg.cursor() as cr:
        populate(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), clients)
        cr.commit()
    reg.delete(template)
    odoo.sql_db.close_db(template)


def backend_cpu(pid):
    """CPU seconds used so far by the PostgreSQL backend ``pid`` (same machine)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            parts = handle.read().rsplit(")", 1)[1].split()
        return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")


def measure(label, cr, func, profile=None):
    cr.execute("SELECT pg_backend_pid()")
    backend = cr.fetchone()[0]
    pg_cpu = backend_cpu(backend)
    queries, wall, cpu = cr.sql_log_count, time.perf_counter(), time.process_time()
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(func)
        profiler.dump_stats(f"{profile}.{label}")
    else:
        func()
    cr.commit()
    return (time.perf_counter() - wall, time.process_time() - cpu, cr.sql_log_count - queries,
            backend_cpu(backend) - pg_cpu)


def one_round(db, template, rows, clients, profile, keep):
    import odoo  # noqa: PLC0415

    pg("dropdb", "--if-exists", db)
    pg("createdb", "-T", template, db)
    reg = registry(db)
    try:
        with reg.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            head = env["res.users"].search([("login", "=", "bench_head")])
            owner = env["res.users"].search([("login", "=", "bench_owner")])
            intake = env["client_guard.intake"].with_user(head).create(
                {"file": spreadsheet(rows, clients), "file_name": "list.csv", "owner_id": owner.id})
            cr.commit()
            preview = measure("preview", cr, intake.action_preview, profile)
            counts = {s: intake[f"{s}_count"] for s in ("new", "match", "duplicate", "error")}
            print(f"  preview: {preview[0]:.1f} s wall, CPU {preview[1]:.1f} s Odoo + {preview[3]:.1f} s PostgreSQL, "
                  f"{preview[2]} queries; {counts}", flush=True)
            confirm = measure("import", cr, intake.action_confirm, profile)
            created = len(intake.line_ids.filtered(lambda line: line.result == "created"))
            audit = env["res.partner.curator.history"].search_count(
                [("partner_id", "in", intake.line_ids.result_partner_id.ids)])
            if "client_guard.audit.log" in env:
                audit = f"{audit} curator-history lines, {env['client_guard.audit.log'].search_count([])} audit lines"
            else:
                audit = f"{audit} curator-history lines"
            print(f"  import:  {confirm[0]:.1f} s wall, CPU {confirm[1]:.1f} s Odoo + {confirm[3]:.1f} s PostgreSQL, "
                  f"{confirm[2]} queries; "
                  f"{created} clients created ({audit}), {intake.conflict_count} conflicts", flush=True)
    finally:
        reg.delete(db)
        odoo.sql_db.close_db(db)
        if not keep:
            pg("dropdb", "--if-exists", db)
    return preview, confirm


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_intake")
    parser.add_argument("--clients", type=int, default=100000)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--modules", default="client_guard_intake",
                        help="modules of the template (e.g. client_guard_intake,client_guard_audit; use another --db)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the template database")
    parser.add_argument("--profile", help="write cProfile stats to PROFILE.preview and PROFILE.import")
    parser.add_argument("--keep", action="store_true", help="keep the last round's database")
    args = parser.parse_args()
    template = f"{args.db}_tpl"
    exists = subprocess.run(
        ["psql", "-h", os.environ.get("PGHOST", "127.0.0.1"), "-U", os.environ.get("PGUSER", "odoo"), "-d", "postgres",
         "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{template}'"],
        check=True, capture_output=True, text=True).stdout.strip()
    if args.rebuild or not exists:
        pg("dropdb", "--if-exists", template)
        build_template(template, args.clients, args.modules)
    results = []
    for number in range(1, args.rounds + 1):
        print(f"round {number}: {args.rows} rows against {args.clients} clients ({args.modules}), "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
        results.append(one_round(
            args.db, template, args.rows, args.clients, args.profile, args.keep and number == args.rounds))
    if args.rounds > 1:
        for label, index in (("preview", 0), ("import", 1)):
            walls = sorted(r[index][0] for r in results)
            cpus = sorted(r[index][1] + r[index][3] for r in results)
            print(f"median {label}: {walls[len(walls) // 2]:.1f} s wall, "
                  f"{cpus[len(cpus) // 2]:.1f} s CPU (Odoo + PostgreSQL)")
    print(f"load average after the run: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}")


if __name__ == "__main__":
    main()
