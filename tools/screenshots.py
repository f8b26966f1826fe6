#!/usr/bin/env python3
"""Take the README's pictures of the main screens from a running demo database.

Start the demo first (./run-demo, or ./run-demo --db mydemo --port 8070), then:

    python3 tools/screenshots.py                                  # http://localhost:8069, client_guard_demo
    python3 tools/screenshots.py --url http://localhost:8070 --db mydemo

Needs Playwright from PyPI (pip install playwright) and a Chromium: Debian's
/usr/bin/chromium is used when present (--chromium to choose another), else
Playwright's own (playwright install chromium). The demo users are switched to
Russian (--lang) and the pictures written to docs/screenshots/:

    client_card.png      a client card with its curator history (head of department)
    transfer_wizard.png  the transfer wizard with its preview (head of department)
    shift_close.png      the shift close wizard listing the calls still needing a note (salesperson);
                         when the salesperson's shift has none, two calls are pushed as the PBX user
    audit_log.png        the officer's audit log
    security_log.png     the officer's security log (refused attempts)
"""

import argparse
import datetime
import json
import os
import sys
import time
import urllib.request
import xmlrpc.client
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEWPORT = {"width": 1440, "height": 900}


class Demo:
    """XML-RPC to the demo database (set-up and look-ups)."""

    def __init__(self, url, db):
        self.url, self.db = url.rstrip("/"), db
        self.common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common", allow_none=True)
        self.models = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)

    def uid(self, login):
        uid = self.common.authenticate(self.db, login, login, {})
        if not uid:
            sys.exit(f"cannot log in as {login} (password = login) on {self.db} at {self.url}: is it the demo?")
        return uid

    def call(self, login, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid(login), login, model, method, list(args), kwargs)


def wait_idle(page, extra=1.5, selector=".o_action_manager .o_view_controller, .modal .o_form_view"):
    # the web client keeps a bus connection open: no "network idle"; wait for a view, then a moment
    page.wait_for_selector(selector, timeout=60000)
    time.sleep(extra)


def login(browser, args, who):
    context = browser.new_context(viewport=VIEWPORT, locale=args.lang.replace("_", "-"))
    page = context.new_page()
    page.goto(f"{args.url}/web/login?db={args.db}")
    page.fill("input[name=login]", who)
    page.fill("input[name=password]", who)
    page.click("button[type=submit]")
    page.wait_for_url("**/odoo**", timeout=60000)
    wait_idle(page, selector=".o_main_navbar")
    return context, page


def do_action(page, action, options=None):
    """Run an action (an XML id or an action dict) in the web client."""
    if isinstance(action, dict) and "views" not in action:
        action = dict(action, views=[[False, mode] for mode in action.get("view_mode", "form").split(",")])
    page.evaluate(
        "([action, options]) => odoo.__WOWL_DEBUG__.root.env.services.action.doAction(action, options || {})",
        [action, options or {}],
    )
    wait_idle(page)


def shoot(page, name, out, selector=None):
    path = out / name
    target = page.locator(selector).first if selector else page
    target.screenshot(path=str(path))
    print(f"written: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def client_card(demo, browser, args, out):
    # a client of the head's department that changed curator (the demo's transfers and reassignments)
    groups = demo.call("head", "res.partner.curator.history", "read_group", [], ["partner_id"], ["partner_id"],
                       orderby="partner_id_count desc", limit=1)
    if not groups:
        print("no client with a curator history: client_card.png skipped", file=sys.stderr)
        return
    partner_id = groups[0]["partner_id"][0]
    context, page = login(browser, args, "head")
    page.goto(f"{args.url}/odoo/res.partner/{partner_id}")
    wait_idle(page)
    page.click(".o_notebook_headers a[name=curator_history]")
    time.sleep(0.8)
    shoot(page, "client_card.png", out)
    context.close()


def transfer_wizard(demo, browser, args, out):
    ivan = demo.uid("ivan")
    maria = demo.call("head", "res.users", "search_read", [("login", "=", "maria")], ["name"])[0]
    context, page = login(browser, args, "head")
    action = demo.call("head", "res.users", "action_open_curator_transfer", [ivan])
    do_action(page, action)
    page.click(".modal div[name=to_user_id] input")
    first_name = maria["name"].split()[0]
    page.keyboard.type(first_name, delay=80)
    page.click(f".o-autocomplete--dropdown-item:has-text('{first_name}')", timeout=60000)
    time.sleep(2.5)
    shoot(page, "transfer_wizard.png", out, ".modal-content")
    context.close()  # the wizard is left unconfirmed: nothing moves


def shift_close(demo, browser, args, out):
    who = "ivan"
    action = demo.call(who, "work.shift", "action_open_my_shift")
    shift_id = action["res_id"]
    pending = demo.call(who, "work.shift", "read", [shift_id], ["pending_note_count"])[0]["pending_note_count"]
    if not pending:
        # two calls since the shift opened, answered and long enough to need a note
        ivan = demo.call("admin", "res.users", "search_read", [("login", "=", who)], ["pbx_extension"])[0]
        shift = demo.call(who, "work.shift", "read", [shift_id], ["date_start"])[0]
        opened = datetime.datetime.strptime(shift["date_start"], "%Y-%m-%d %H:%M:%S").replace(
            tzinfo=datetime.timezone.utc)
        calls = [{
            "uniqueid": f"screenshots.{int(time.time())}.{n}",
            "src": f"+7495{1000000 + n * 7919:07d}", "dst": ivan["pbx_extension"] or "101",
            "start": (opened + datetime.timedelta(seconds=5 + n * 10)).isoformat(timespec="seconds"),
            "duration": 95 + n * 30, "billsec": 80 + n * 30, "disposition": "ANSWERED",
        } for n in range(2)]
        demo.call("pbx", "pbx.call", "register_calls", calls)
    context, page = login(browser, args, who)
    page.goto(f"{args.url}/odoo/work.shift/{shift_id}")
    wait_idle(page)
    page.click("button[name=action_close]")
    page.wait_for_selector(".modal .o_form_view", timeout=60000)
    time.sleep(2)
    shoot(page, "shift_close.png", out)
    context.close()  # "Later": the shift stays open


def officer_screens(demo, browser, args, out):
    # a refused attempt for the security log: a salesperson tries to export a client
    client = demo.call("ivan", "res.partner", "search", [("user_id.login", "=", "ivan")], limit=1)
    try:
        demo.call("ivan", "res.partner", "export_data", client, ["name", "phone", "email"])
    except xmlrpc.client.Fault:
        pass  # refused, as it should be: the security log shows it
    context, page = login(browser, args, "officer")
    # from the officer's own menu, as a person opens them (the app's name in the top bar)
    for menu, picture in (("client_guard_audit.menu_client_guard_audit_log", "audit_log.png"),
                          ("client_guard.menu_client_guard_security_event", "security_log.png")):
        module, name = menu.split(".")
        menu_id = demo.call("admin", "ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)],
                            fields=["res_id"])[0]["res_id"]
        page.evaluate("(id) => odoo.__WOWL_DEBUG__.root.env.services.menu.selectMenu(id)", menu_id)
        wait_idle(page)
        shoot(page, picture, out)
    context.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="client_guard_demo")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--lang", default="ru_RU", help="language of the demo users in the pictures")
    parser.add_argument("--chromium", default="/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    parser.add_argument("--headed", action="store_true")
    args = parser.parse_args()
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415  (a tool's own dependency)
    except ImportError:
        sys.exit("Playwright is missing: pip install playwright")
    try:
        urllib.request.urlopen(f"{args.url}/web/health", timeout=10)
    except OSError as error:
        sys.exit(f"no Odoo answers at {args.url} ({error}): start ./run-demo first")
    demo = Demo(args.url, args.db)
    logins = ["admin", "head", "ivan", "officer"]
    users = demo.call("admin", "res.users", "search", [("login", "in", logins)])
    demo.call("admin", "res.users", "write", users, {"lang": args.lang})
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, headless=not args.headed, args=["--no-sandbox"])
        for step in (client_card, transfer_wizard, shift_close):
            step(demo, browser, args, out)
        officer_screens(demo, browser, args, out)
        browser.close()
    print(json.dumps({"pictures": sorted(p.name for p in out.glob("*.png"))}))


if __name__ == "__main__":
    main()
