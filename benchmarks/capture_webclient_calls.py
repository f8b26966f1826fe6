#!/usr/bin/env python3
"""Capture the JSON-RPC calls Odoo 18's web client makes, from a real browser.

Logs in with Playwright (Debian's /usr/bin/chromium) on a running server with
the suite's demo data, then opens what a salesperson opens every day: the
client list, the opportunity pipeline, a client's form with its chatter, and
types a name into a many2one (the opportunity's customer). Every request to
``/web/dataset/call_kw/...`` and ``/mail/...`` is recorded with its body and
saved (``benchmarks/webclient_calls.json``); ``webclient_calls_bench.py``
replays them.

Usage: python3 benchmarks/capture_webclient_calls.py --url http://127.0.0.1:8069 --db client_guard_demo \
           [--login maria] [--out benchmarks/webclient_calls.json]
"""

import argparse
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
KEEP = re.compile(r"/web/dataset/call_kw/|/mail/(thread/data|thread/messages)")


def capture(url, db, login, password, client_id):
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    calls = []
    step = {"name": "login"}
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.set_default_timeout(240_000)  # the first visit builds the asset bundles

        def on_request(request):
            if request.method == "POST" and KEEP.search(request.url):
                try:
                    body = json.loads(request.post_data or "null")
                except ValueError:
                    return
                calls.append({"step": step["name"], "path": request.url.split(url, 1)[-1], "body": body})

        page.on("request", on_request)
        page.goto(f"{url}/web/login?db={db}")
        page.fill("input[name=login]", login)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_selector(".o_main_navbar")
        page.wait_for_timeout(2500)
        info = page.request.post(f"{url}/web/session/get_session_info", data={"params": {}}).json()["result"]
        stages = page.request.post(f"{url}/web/dataset/call_kw/crm.stage/search", data={"params": {
            "model": "crm.stage", "method": "search", "args": [[]], "kwargs": {}}}).json()["result"]
        meta = {"meta": {"uid": info["uid"], "login": login, "client_id": client_id, "stages": stages,
                         "server_version": info.get("server_version")}}

        step["name"] = "client_list"
        page.goto(f"{url}/odoo/action-base.action_partner_form?view_type=list")
        page.wait_for_selector(".o_list_view .o_data_row")
        page.wait_for_timeout(2500)

        step["name"] = "pipeline"
        page.goto(f"{url}/odoo/action-crm.crm_lead_action_pipeline")
        page.wait_for_selector(".o_kanban_renderer .o_kanban_group")
        page.wait_for_timeout(2500)

        step["name"] = "client_form"
        page.goto(f"{url}/odoo/action-base.action_partner_form/{client_id}")
        page.wait_for_selector(".o_form_view .o-mail-Chatter")
        page.wait_for_timeout(2500)

        step["name"] = "many2one_search"
        page.goto(f"{url}/odoo/action-crm.crm_lead_action_pipeline/new")
        field = page.locator("div[name=partner_id] input").first
        field.wait_for()
        field.click()
        page.wait_for_timeout(2500)
        field.type("Client", delay=120)
        page.wait_for_selector(".o-autocomplete--dropdown-menu")
        page.wait_for_timeout(2500)
        browser.close()
    return [meta, *calls]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="client_guard_demo")
    parser.add_argument("--login", default="maria")
    parser.add_argument("--password")
    parser.add_argument("--client-id", type=int, required=True, help="a client the user sees (its form is opened)")
    parser.add_argument("--out", default=os.path.join(HERE, "webclient_calls.json"))
    args = parser.parse_args()
    calls = capture(args.url, args.db, args.login, args.password or args.login, args.client_id)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(calls, handle, indent=1, ensure_ascii=False)
        handle.write("\n")
    for call in calls[1:]:
        params = call["body"].get("params", {})
        print(f"{call['step']:16} {call['path']:45} {params.get('model', '')} {params.get('method', '')}")
    print(f"{len(calls)} calls saved to {args.out}")


if __name__ == "__main__":
    main()
