#!/usr/bin/env python3
"""Benchmark of curator_transfer: one leaving employee with 10,000 clients,
20,000 contacts, 5,000 open opportunities and 50,000 open activities handed to
a successor in one step; beside the naive way (a loop writing one client at a
time with its records), measured on a sample and extrapolated.

Prints time, SQL query count and peak Python memory of the transfer, at two
sizes to show that the query count does not grow with the number of clients.

Usage: python3 benchmarks/curator_transfer_bench.py [--db bench_curator_transfer] [--clients 10000]
"""

import argparse
import os
import time
import tracemalloc

from _odoo import install, registry

os.environ.setdefault("PGOPTIONS", "-c jit=off")


def populate(env, clients, prefix):
    """Clients of a new leaver with 2 contacts each, 1 open opportunity per 2
    clients and 5 activities per client (on the client, its contacts and its
    opportunity), inserted with SQL for speed."""
    cr = env.cr
    team = env["crm.team"].create({"name": f"{prefix} department"})
    groups = [(6, 0, [env.ref("base.group_user").id, env.ref("client_guard.group_scope_department").id])]
    Users = env["res.users"].with_context(no_reset_password=True)
    leaver = Users.create({"name": f"{prefix} leaver", "login": f"{prefix}_leaver", "groups_id": groups})
    successor = Users.create({"name": f"{prefix} successor", "login": f"{prefix}_successor", "groups_id": groups})
    env["crm.team.member"].create([{"crm_team_id": team.id, "user_id": u.id} for u in (leaver, successor)])
    params = {"user": leaver.id, "team": team.id, "n": clients, "prefix": prefix}
    cr.execute("""
        INSERT INTO res_partner (name, complete_name, is_company, active, type, user_id, team_id, is_client,
                                 is_private, create_date, write_date, create_uid, write_uid)
        SELECT %(prefix)s || ' client ' || g, %(prefix)s || ' client ' || g, true, true, 'contact',
               %(user)s, %(team)s, true, false, now() - interval '1 day', now() - interval '1 day', 1, 1
          FROM generate_series(1, %(n)s) g RETURNING id""", params)
    client_ids = [r[0] for r in cr.fetchall()]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [client_ids])
    cr.execute("""
        INSERT INTO res_partner (name, complete_name, parent_id, commercial_partner_id, is_company, active, type,
                                 user_id, team_id, is_client, is_private, create_date, write_date, create_uid,
                                 write_uid)
        SELECT 'Contact ' || k || ' of ' || c, 'Contact', c, c, false, true, 'contact', %(user)s, %(team)s,
               true, false, now() - interval '1 day', now() - interval '1 day', 1, 1
          FROM unnest(%(clients)s) c, generate_series(1, 2) k RETURNING id""", dict(params, clients=client_ids))
    contact_ids = [r[0] for r in cr.fetchall()]
    stage = env["crm.stage"].search([("is_won", "=", False)], limit=1)
    cr.execute("""
        INSERT INTO crm_lead (name, type, partner_id, user_id, team_id, stage_id, active, probability,
                              company_id, create_date, write_date, create_uid, write_uid)
        SELECT 'Deal ' || c, 'opportunity', c, %(user)s, %(team)s, %(stage)s, true, 10, %(company)s,
               now() - interval '1 day', now() - interval '1 day', 1, 1
          FROM unnest(%(clients)s) WITH ORDINALITY AS t(c, i) WHERE i %% 2 = 0 RETURNING id, partner_id""",
               dict(params, clients=client_ids, stage=stage.id, company=env.company.id))
    lead_ids = [r[0] for r in cr.fetchall()]
    partner_model = env["ir.model"]._get_id("res.partner")
    lead_model = env["ir.model"]._get_id("crm.lead")
    act_type = env.ref("mail.mail_activity_data_todo").id
    cr.execute("""
        INSERT INTO mail_activity (active, res_model_id, res_model, res_id, activity_type_id, user_id, date_deadline,
                                   summary, create_date, write_date, create_uid, write_uid, automated)
        SELECT true, %(pm)s, 'res.partner', p, %(type)s, %(user)s, now()::date, 'Call', now(), now(), 1, 1, false
          FROM unnest(%(partners)s) p, generate_series(1, %(per)s)""",
               dict(params, pm=partner_model, type=act_type, partners=client_ids + contact_ids, per=1))
    cr.execute("""
        INSERT INTO mail_activity (active, res_model_id, res_model, res_id, activity_type_id, user_id, date_deadline,
                                   summary, create_date, write_date, create_uid, write_uid, automated)
        SELECT true, %(pm)s, 'res.partner', p, %(type)s, %(user)s, now()::date, 'Visit', now(), now(), 1, 1, false
          FROM unnest(%(partners)s) p, generate_series(1, 1)""",
               dict(params, pm=partner_model, type=act_type, partners=client_ids))
    cr.execute("""
        INSERT INTO mail_activity (active, res_model_id, res_model, res_id, activity_type_id, user_id, date_deadline,
                                   summary, create_date, write_date, create_uid, write_uid, automated)
        SELECT true, %(lm)s, 'crm.lead', l, %(type)s, %(user)s, now()::date, 'Offer', now(), now(), 1, 1, false
          FROM unnest(%(leads)s) l, generate_series(1, 2)""",
               dict(params, lm=lead_model, type=act_type, leads=lead_ids))
    cr.execute("ANALYZE")
    env.invalidate_all()
    counts = {
        "clients": len(client_ids), "contacts": len(contact_ids), "opportunities": len(lead_ids),
        "activities": env["mail.activity"].search_count([("user_id", "=", leaver.id)]),
    }
    return leaver, successor, env["res.partner"].browse(client_ids), counts


def run_transfer(env, leaver, successor, manager):
    wizard = env["curator.transfer.wizard"].with_user(manager).create({
        "from_user_id": leaver.id, "to_user_id": successor.id, "reason": "benchmark"})
    env.invalidate_all()
    queries0 = env.cr.sql_log_count
    tracemalloc.start()
    start = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile  # noqa: PLC0415
        import pstats  # noqa: PLC0415

        profile = cProfile.Profile()
        profile.runcall(wizard.action_transfer)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    else:
        wizard.action_transfer()
    env.flush_all()
    elapsed = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, env.cr.sql_log_count - queries0, peak / 2**20


def run_naive(env, clients, successor, manager, sample):
    """One client at a time: its curator, its contacts, its opportunities, its activities."""
    env.invalidate_all()
    queries0 = env.cr.sql_log_count
    start = time.perf_counter()
    for client in clients[:sample].with_user(manager).sudo():
        client.write({"user_id": successor.id})
        client.child_ids.write({"user_id": successor.id})
        partners = client | client.child_ids
        leads = env["crm.lead"].sudo().search([("partner_id", "in", partners.ids)])
        leads.write({"user_id": successor.id})
        activities = env["mail.activity"].sudo().search([
            "|", "&", ("res_model", "=", "res.partner"), ("res_id", "in", partners.ids),
            "&", ("res_model", "=", "crm.lead"), ("res_id", "in", leads.ids)])
        for activity in activities:
            activity.write({"user_id": successor.id})
    env.flush_all()
    return time.perf_counter() - start, env.cr.sql_log_count - queries0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_curator_transfer")
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000, help="second size, for the query count")
    parser.add_argument("--naive-sample", type=int, default=200)
    parser.add_argument("--modules", default="client_guard,curator_transfer",
                        help="modules to install, e.g. add client_guard_audit to measure the transfer audited")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive loop")
    args = parser.parse_args()
    install(args.db, args.modules)
    reg = registry(args.db)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        manager = env.ref("base.user_admin")
        print(f"{'size':>8} {'clients':>8} {'contacts':>9} {'opps':>6} {'activities':>11} "
              f"{'time':>8} {'queries':>8} {'peak MB':>8}")
        for size in (args.small, args.clients):
            leaver, successor, clients, counts = populate(env, size, f"b{size}")
            cr.commit()
            elapsed, queries, peak = run_transfer(env, leaver, successor, manager)
            cr.commit()
            print(f"{size:>8} {counts['clients']:>8} {counts['contacts']:>9} {counts['opportunities']:>6} "
                  f"{counts['activities']:>11} {elapsed:>7.1f}s {queries:>8} {peak:>8.1f}")
        if args.no_naive:
            cr.rollback()
            return
        leaver, successor, clients, counts = populate(env, args.naive_sample, "naive")
        cr.commit()
        naive_time, naive_queries = run_naive(env, clients, successor, manager, args.naive_sample)
        per_client = naive_time / args.naive_sample
        print(f"naive loop: {args.naive_sample} clients in {naive_time:.1f}s, {naive_queries} queries "
              f"-> {per_client * args.clients:.0f}s extrapolated for {args.clients} clients "
              f"({per_client * 1000:.0f} ms per client)")
        print(f"speed-up of the one-step transfer: {per_client * args.clients / elapsed:.0f}x")
        cr.rollback()


if __name__ == "__main__":
    main()
