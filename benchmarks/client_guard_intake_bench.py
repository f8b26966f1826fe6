#!/usr/bin/env python3
"""Benchmark of client_guard_intake: a manager's 20,000-row spreadsheet (CSV)
against a base of 100,000 clients: preview (parse, match every row against the
whole base and the other rows) and import (create the new clients with their
contacts, add the missing data to the matched ones, flag the conflicts).

A quarter of the rows are clients already in the base (by phone in another
format, e-mail, tax id or name), 5% repeat another row, 1% are errors.

Usage: python3 benchmarks/client_guard_intake_bench.py [--db bench_intake] [--clients 100000] [--rows 20000]
"""

import argparse
import base64
import csv
import io
import os
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_intake")
    parser.add_argument("--clients", type=int, default=100000)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--reuse", action="store_true", help="reuse the database (no re-install)")
    args = parser.parse_args()
    if not args.reuse:
        install(args.db, "client_guard_intake")
    reg = registry(args.db)
    import odoo  # noqa: PLC0415

    with reg.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        head = env["res.users"].search([("login", "=", "bench_head")])
        if head:  # --reuse: the base is already there
            owner = env["res.users"].search([("login", "=", "bench_owner")])
        else:
            owner, head = populate(env, args.clients)
        file = spreadsheet(args.rows, args.clients)
        cr.commit()
        intake = env["client_guard.intake"].with_user(head).create(
            {"file": file, "file_name": "list.csv", "owner_id": owner.id})
        cr.commit()
        start = time.perf_counter()
        queries = cr.sql_log_count
        intake.action_preview()
        cr.commit()
        preview = time.perf_counter() - start
        preview_queries = cr.sql_log_count - queries
        counts = {s: intake[f"{s}_count"] for s in ("new", "match", "duplicate", "error")}
        print(f"{args.rows} rows against {args.clients} clients: {counts}", flush=True)
        print(f"preview: {preview:.1f} s, {preview_queries} queries", flush=True)
        start = time.perf_counter()
        queries = cr.sql_log_count
        intake.action_confirm()
        cr.commit()
        confirm = time.perf_counter() - start
        confirm_queries = cr.sql_log_count - queries
        print(f"import:  {confirm:.1f} s, {confirm_queries} queries; conflicts {intake.conflict_count}")


if __name__ == "__main__":
    main()
