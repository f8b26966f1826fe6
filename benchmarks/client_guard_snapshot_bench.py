#!/usr/bin/env python3
"""Benchmark of client_guard_snapshot on 100,000 client companies.

Fills a database with 100,000 client companies (50 curators, 10 departments),
one contact for every second company and 300,000 PBX calls, then takes the
nightly snapshot (zipped XLSX + gzip-compressed CSV) and prints its time, SQL query
count, the growth of the process's peak memory and the file sizes. Then it
deletes 100 clients with their contacts and times the restore wizard's preview
and the restore.

Usage: python3 benchmarks/client_guard_snapshot_bench.py [--db bench_client_guard_snapshot] [--reuse]
"""

import argparse
import io
import os
import resource
import time
import zipfile

from _odoo import install, registry

os.environ.setdefault("PGOPTIONS", "-c jit=off")


def populate(env, clients, teams=10, users=50, calls=300_000):
    cr = env.cr
    team_ids = env["crm.team"].create([{"name": f"Bench department {i}"} for i in range(teams)]).ids
    groups = [(6, 0, [env.ref("base.group_user").id, env.ref("client_guard.group_scope_department").id])]
    user_ids = env["res.users"].with_context(no_reset_password=True, mail_create_nosubscribe=True).create([
        {"name": f"Bench curator {i}", "login": f"snapbench{i}", "groups_id": groups} for i in range(users)
    ]).ids
    country = env.ref("base.ru").id
    cr.execute(
        """
        INSERT INTO res_partner (id, commercial_partner_id, name, complete_name, is_company, active, type, lang,
                                 user_id, team_id, is_client, is_private, email, phone, vat, street, city, zip,
                                 country_id, registration_date, create_date, write_date, create_uid, write_uid)
        SELECT n.id, n.id, 'Client ' || g, 'Client ' || g, true, g %% 50 <> 0, 'contact', 'en_US',
               (%(users)s)[1 + g %% %(nusers)s], (%(teams)s)[1 + g %% %(nteams)s], true, g %% 500 = 0,
               'office' || g || '@client.example', '+7 495 ' || lpad(g::text, 7, '0'), lpad(g::text, 10, '7'),
               'Street ' || g, 'Moscow', lpad((g %% 1000)::text, 6, '1'), %(country)s, now()::date,
               now(), now(), 1, 1
          FROM (SELECT g, nextval('res_partner_id_seq') AS id FROM generate_series(1, %(clients)s) g) n
        """,
        {"users": user_ids, "nusers": users, "teams": team_ids, "nteams": teams, "clients": clients,
         "country": country},
    )
    cr.execute(
        """
        INSERT INTO res_partner (id, commercial_partner_id, parent_id, name, complete_name, is_company, active,
                                 type, lang, user_id, team_id, is_client, is_private, email, mobile, function,
                                 create_date, write_date, create_uid, write_uid)
        SELECT nextval('res_partner_id_seq'), c.id, c.id, 'Contact of ' || c.name, c.name || ', Contact',
               false, true, 'contact', 'en_US', c.user_id, c.team_id, true, c.is_private,
               'person' || c.id || '@client.example', '+7 916 ' || lpad(c.id::text, 7, '0'), 'Director',
               now(), now(), 1, 1
          FROM res_partner c
         WHERE c.is_client AND c.is_company AND c.id % 2 = 0
        """
    )
    cr.execute(
        """
        INSERT INTO pbx_call (uniqueid, source, start, duration, billsec, disposition, direction, partner_id,
                              has_note, is_missed, called_back, partner_created, create_date, write_date,
                              create_uid, write_uid)
        SELECT 'snapbench.' || g, 'bench', now() - (g || ' minutes')::interval, 60, 50, 'ANSWERED', 'inbound',
               p.ids[1 + ((g::bigint * 7919) %% array_length(p.ids, 1))::int], false, false, false, false,
               now(), now(), 1, 1
          FROM generate_series(1, %s) g,
               (SELECT array_agg(id) AS ids FROM res_partner WHERE is_client) p
        """,
        [calls],
    )
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE pbx_call")
    env.invalidate_all()


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_client_guard_snapshot")
    parser.add_argument("--reuse", action="store_true", help="reuse a database filled by a previous run")
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--deleted", type=int, default=100, help="clients deleted before the restore")
    args = parser.parse_args()
    if not args.reuse:
        install(args.db, "client_guard_snapshot")
    reg = registry(args.db)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if not args.reuse:
            t0 = time.perf_counter()
            populate(env, args.clients)
            cr.commit()
            print(f"populated {args.clients} clients in {time.perf_counter() - t0:.1f} s")
        Partner = env["res.partner"].with_context(active_test=False)
        print(f"clients: {Partner.search_count([('is_client', '=', True), ('parent_id', '=', False)])}, "
              f"contacts: {Partner.search_count([('is_client', '=', True), ('parent_id', '!=', False)])}, "
              f"calls: {env['pbx.call'].search_count([])}")
        Snapshot = env["client_guard.snapshot"]
        print("load average before the snapshot: {:.1f} {:.1f} {:.1f} (2 cores)".format(*os.getloadavg()))
        rss_before = peak_mb()
        queries_before = cr.sql_log_count
        t0 = time.perf_counter()
        snapshot = Snapshot._take_snapshot()
        cr.flush()
        elapsed = time.perf_counter() - t0
        queries = cr.sql_log_count - queries_before
        xlsx = env["ir.attachment"].search([("res_model", "=", snapshot._name), ("res_id", "=", snapshot.id),
                                            ("res_field", "=", "xlsx_file")])
        print(f"snapshot: {snapshot.partner_count} partners ({snapshot.client_count} clients, "
              f"{snapshot.contact_count} contacts) in {elapsed:.1f} s, {queries} SQL queries, "
              f"peak memory +{peak_mb() - rss_before:.0f} MB (process peak {peak_mb():.0f} MB)")
        with zipfile.ZipFile(io.BytesIO(xlsx.raw)) as archive:
            xlsx_size = archive.infolist()[0].file_size
        print(f"files: XLSX {xlsx_size / 1e6:.1f} MB, zipped {snapshot.xlsx_size / 1e6:.1f} MB; "
              f"CSV.GZ {snapshot.csv_size / 1e6:.1f} MB")

        t0 = time.perf_counter()
        rows = sum(1 for _row in Snapshot._snapshot_rows())
        print(f"reading the {rows} rows alone (SQL in batches + calls summary): {time.perf_counter() - t0:.1f} s")

        # restore: delete some clients with their contacts, preview, restore
        victims = Partner.search([("is_client", "=", True), ("parent_id", "=", False)], limit=args.deleted,
                                 order="id desc")
        victims |= victims.child_ids
        cr.execute("DELETE FROM res_partner WHERE id = ANY(%s)", [victims.ids])
        env.invalidate_all()
        t0 = time.perf_counter()
        wizard = env["client_guard.snapshot.restore"].create({"snapshot_id": snapshot.id})
        deleted = len(wizard.line_ids)
        preview = time.perf_counter() - t0
        t0 = time.perf_counter()
        wizard.action_restore()
        cr.flush()
        restore = time.perf_counter() - t0
        print(f"restore wizard: preview of {deleted} deleted partners out of "
              f"{snapshot.partner_count} in {preview:.1f} s; restore in {restore:.1f} s")
        cr.rollback()


if __name__ == "__main__":
    main()
