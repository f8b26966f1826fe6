#!/usr/bin/env python3
"""CPU time and SQL queries of the load test's requests, in one process.

The requests ``locustfile.py`` sends (the client list with the list's
specification and ``count_limit=10001``, a client's form with the form's
specification, the chatter's ``/mail/thread/data`` and
``/mail/thread/messages``, a note posted, an activity scheduled, a many2one
``name_search`` and a list search), run as the users of a database filled by
``run_load.py --keep-db`` (``load_sp0``: own level; ``load_head0``: head of
two departments), each in a fresh transaction rolled back at its end (what a
worker does per request, minus HTTP and the session: the registry's caches
stay warm, the ORM's record cache is new). The chatter and note routes are
replayed without their HTTP request, as their controllers run them. Before
the first run, the users' first clients get what five minutes of the load
test leave on them (notes, activities, tracked changes: ``seed``; once per
database, committed).

For each request and user: the number of SQL queries and the CPU time of the
process (``time.process_time``), median of ``--rounds`` repetitions after one
warm-up; ``--cprofile N`` prints the N functions of most cumulative time of
one repetition instead.

``--compare ROOT`` runs the same requests with the code of another checkout
(``ROOT``: a folder holding ``addons`` and ``benchmarks``, e.g. an exported
older commit) in a second process, in interleaved rounds (old, new, old,
new...: the machine's load disturbs both alike), and prints both medians.

Usage: python3 benchmarks/load/profile_requests.py --db load_test [--users load_sp0,load_head0]
           [--rounds 21] [--requests list,form] [--cprofile 40] [--compare /tmp/base]
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

sys.path.insert(0, HERE)
from load_specs import FORM_SPEC, LIST_CONTEXT, LIST_SPEC, REQUEST_LIST  # noqa: E402

REQUESTS = ("list", "form", "chatter_data", "chatter_messages", "post_note", "activity", "name_search",
            "list_search")


def run_request(env, kind, partner):
    """One request of ``kind`` as ``env``'s user (``partner``: the client opened)."""
    from markupsafe import Markup  # noqa: PLC0415

    from odoo import api  # noqa: PLC0415

    from odoo.addons.mail.tools.discuss import Store  # noqa: PLC0415

    context = {"lang": "en_US", "tz": "UTC", "uid": env.uid, "allowed_company_ids": [1]}
    Partner = env["res.partner"]
    if kind in ("list", "list_search"):
        domain = [("complete_name", "ilike", "Client 123")] if kind == "list_search" else []
        return api.call_kw(Partner, "web_search_read", [], {
            "specification": LIST_SPEC, "offset": 0, "order": "", "limit": 80, "count_limit": 10001,
            "domain": domain, "context": {**context, **LIST_CONTEXT}})
    if kind == "form":
        return api.call_kw(Partner, "web_read", [[partner]], {"specification": FORM_SPEC, "context": context})
    if kind == "chatter_data":
        thread = Partner.with_context(context)._get_thread_with_access(partner)
        return Store(thread, as_thread=True, request_list=REQUEST_LIST).get_result()
    if kind == "chatter_messages":
        res = env["mail.message"].with_context(context)._message_fetch([
            ("res_id", "=", partner), ("model", "=", "res.partner"),
            ("message_type", "!=", "user_notification")], limit=30)
        messages = res.pop("messages")
        messages.set_message_done()
        return Store(messages, for_current_user=True).get_result()
    if kind == "post_note":
        Thread = Partner.with_context(context)
        thread = Thread._get_thread_with_access(partner, mode=Thread._mail_post_access)
        if not Thread._get_thread_with_access(partner, "write"):
            thread = thread.with_context(mail_create_nosubscribe=True, mail_post_autofollow=False)
        message = thread.sudo().message_post(body=Markup("Call back about the offer (profile)"),
                                             message_type="comment", subtype_xmlid="mail.mt_note", partner_ids=[])
        return Store(message, for_current_user=True).get_result()
    if kind == "activity":
        return api.call_kw(env["mail.activity"], "web_save", [[], {
            "summary": "Call back", "date_deadline": (date.today() + timedelta(days=2)).isoformat(),
            "user_id": env.uid}], {"specification": {}, "context": {
                **context, "default_res_model": "res.partner", "default_res_id": partner}})
    if kind == "name_search":
        return api.call_kw(Partner, "name_search", [], {"name": "Client 123", "operator": "ilike", "args": [],
                                                         "limit": 8, "context": context})
    raise ValueError(kind)


def seed(reg, logins):
    """What five minutes of the load test leave on a person's first page, once
    per database: 20 notes on their first clients, 10 activities planned,
    and on the client the profile opens 4 notes quoting its phone and two
    tracked changes of its details (phone, city)."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if env["mail.message"].search_count([("body", "ilike", "profile seed")]):
            return
        model_id = env["ir.model"]._get_id("res.partner")
        for login in logins:
            user = env["res.users"].search([("login", "=", login)])
            result = run_request(api.Environment(cr, user.id, {}), "list", None)
            clients = env["res.partner"].browse([record["id"] for record in result["records"]]).filtered("is_client")
            note = {"message_type": "comment", "subtype_xmlid": "mail.mt_note", "author_id": user.partner_id.id,
                    "email_from": "profile@example.com"}
            for i, client in enumerate(clients[:20]):
                client.message_post(body=f"Call back about the offer {i} (profile seed)", **note)
            env["mail.activity"].create([{
                "res_model_id": model_id, "res_id": client.id, "summary": "Call back", "user_id": user.id,
                "date_deadline": date.today() + timedelta(days=2)} for client in clients[:10]])
            first = clients[0]
            for j in range(4):
                first.message_post(body=f"Note {j} about the phone {first.phone} (profile seed)", **note)
            first.write({"phone": first.phone[:-1] + "9"})
            first.write({"city": "Tver"})
        cr.commit()


class Runner:
    def __init__(self, db, logins, seeded=True):
        from _odoo import registry  # noqa: PLC0415

        self.reg = registry(db)
        if seeded:
            seed(self.reg, logins)
        from odoo import SUPERUSER_ID, api  # noqa: PLC0415

        self.users, self.partners = {}, {}
        with self.reg.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for login in logins:
                user = env["res.users"].search([("login", "=", login)])
                self.users[login] = user.id
                # the client opened: the first client of the user's list (the load test picks one from it)
                result = run_request(api.Environment(cr, user.id, {}), "list", None)
                listed = env["res.partner"].browse([record["id"] for record in result["records"]])
                self.partners[login] = listed.filtered("is_client")[:1].id
            cr.rollback()

    def once(self, login, kind, profiler=None):
        from odoo import api  # noqa: PLC0415

        with self.reg.cursor() as cr:
            env = api.Environment(cr, self.users[login], {})
            before = cr.sql_log_count
            cpu = time.process_time()
            if profiler:
                profiler.enable()
            run_request(env, kind, self.partners[login])
            if profiler:
                profiler.disable()
            cpu = (time.process_time() - cpu) * 1000
            queries = cr.sql_log_count - before
            cr.rollback()
        return cpu, queries


def serve(args):
    """Line protocol for --compare: one JSON round per line read."""
    runner = Runner(args.db, args.users.split(","))
    kinds = args.requests.split(",") if args.requests else REQUESTS
    for login in runner.users:
        for kind in kinds:
            runner.once(login, kind)  # warm-up
    print("ready", flush=True)
    for _line in sys.stdin:
        result = {f"{login} {kind}": runner.once(login, kind) for login in runner.users for kind in kinds}
        print(json.dumps(result), flush=True)


def compare(args):
    rest = ["--serve", "--db", args.db, "--users", args.users]
    rest += ["--requests", args.requests] if args.requests else []
    procs = {}
    for label, root in (("old", args.compare), ("new", os.path.dirname(os.path.dirname(HERE)))):
        script = os.path.join(os.path.abspath(root), "benchmarks", "load", "profile_requests.py")
        procs[label] = subprocess.Popen([sys.executable, "-u", script, *rest], text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    for proc in procs.values():
        while proc.stdout.readline().strip() != "ready":
            pass
    samples = {label: {} for label in procs}
    for _round in range(args.rounds):
        for label, proc in procs.items():
            proc.stdin.write("go\n")
            proc.stdin.flush()
            for key, value in json.loads(proc.stdout.readline()).items():
                samples[label].setdefault(key, []).append(value)
    for proc in procs.values():
        proc.stdin.close()
        proc.wait()
    print(f"{'user request':34} {'old cpu ms':>10} {'new cpu ms':>10} {'new/old':>7} {'old q':>6} {'new q':>6}")
    totals = {"old": {}, "new": {}}
    for key in samples["old"]:
        old = statistics.median(v[0] for v in samples["old"][key])
        new = statistics.median(v[0] for v in samples["new"][key])
        oq, nq = samples["old"][key][-1][1], samples["new"][key][-1][1]
        login = key.split()[0]
        totals["old"][login] = totals["old"].get(login, 0) + old
        totals["new"][login] = totals["new"].get(login, 0) + new
        print(f"{key:34} {old:>10.1f} {new:>10.1f} {new / old:>7.2f} {oq:>6} {nq:>6}")
    for login, old in totals["old"].items():
        new = totals["new"][login]
        print(f"{login + ' (sum of medians)':34} {old:>10.1f} {new:>10.1f} {new / old:>7.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="load_test")
    parser.add_argument("--users", default="load_sp0,load_head0")
    parser.add_argument("--requests", default="", help=f"among {','.join(REQUESTS)} (default: all)")
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--cprofile", type=int, default=0, help="print the N functions of most cumulative time")
    parser.add_argument("--sort", default="cumulative", help="pstats order for --cprofile (cumulative, tottime)")
    parser.add_argument("--compare", help="root of another checkout to compare with (interleaved rounds)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args)
    if args.compare:
        return compare(args)
    runner = Runner(args.db, args.users.split(","))
    kinds = args.requests.split(",") if args.requests else REQUESTS
    print(f"{'user':12} {'request':18} {'queries':>7} {'cpu ms':>8}")
    for login in runner.users:
        for kind in kinds:
            runner.once(login, kind)  # warm-up
            if args.cprofile:
                profiler = cProfile.Profile()
                cpu, queries = runner.once(login, kind, profiler)
                print(f"{login:12} {kind:18} {queries:>7} {cpu:>8.1f}")
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.cprofile)
                print(out.getvalue())
                continue
            samples = [runner.once(login, kind) for _i in range(args.rounds)]
            print(f"{login:12} {kind:18} {samples[-1][1]:>7} {statistics.median(s[0] for s in samples):>8.1f}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
