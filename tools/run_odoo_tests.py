#!/usr/bin/env python3
"""Run Odoo's own tests with the whole suite installed and loaded.

``odoo -i`` runs a module's at-install tests right after that module is
installed, so ``crm``'s and ``sales_team``'s tests would run before
``client_guard`` exists. This stage instead:

1. installs every module of ``addons/`` with the Odoo modules whose tests we
   run (Sales, Calendar, Contacts, ``test_mail``), demo data, no tests;
2. starts Odoo a second time on that database with ``--test-enable`` and
   ``--test-tags``, nothing to install or update, through this script, which
   moves the at-install tests after the loading of every module: they run
   with the post-install ones, with the registry of the whole suite.

It prints ``N passed, N failed`` last (exit code 1 on any failure).
"""

import argparse
import os
import re
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from run_tests import (
    RESULT_RE,
    ROOT,
    check_odoo,
    db_params,
    drop_db,
    ensure_postgres,
    free_port,
    modules,
    odoo_cmd,
)

# Odoo modules installed next to the suite and whose tests run
ODOO_MODULES = ["sales_team", "crm", "sale", "calendar", "phone_validation", "contacts", "mail", "test_mail"]
ODOO_TAGS = ",".join([
    "/sales_team", "/crm", "/sale", "/calendar", "/phone_validation", "/contacts", "/test_mail",
    # the res.partner tests of base and mail
    "/base:TestPartner", "/base:TestPartnerAddressCompany", "/base:TestPartnerForm",
    "/base:TestPartnerRecursion", "/base:TestResPartnerBank", "/base:TestMergePartner",
    "/mail:TestPartner",
])


def run_patched_odoo(argv):
    """Odoo's command line, with the at-install tests run after loading."""
    from odoo.tools import config  # noqa: PLC0415

    config["test_enable"] = True  # as --test-enable will: the test framework may be imported (no error logged)
    from odoo.tests import loader  # noqa: PLC0415
    from odoo.tests.suite import OdooSuite  # noqa: PLC0415

    make_suite = loader.make_suite

    def make_suite_after_loading(module_names, position="at_install"):
        if position == "at_install":  # during the loading of the modules: nothing
            return OdooSuite([])
        return OdooSuite([*make_suite(module_names, "at_install"), *make_suite(module_names, "post_install")])

    loader.make_suite = make_suite_after_loading

    # Browser tours: Odoo gives each one 60 s (x1.5 under coverage, which Odoo
    # itself grants to slower runs); on a shared 2-core machine the first tour
    # also compiles the web assets of every installed module. More time, the
    # same steps and checks.
    from odoo.tests import common  # noqa: PLC0415

    factor = float(os.environ.get("ODOO_TOUR_TIMEOUT_FACTOR", "3"))
    browser_js = common.HttpCase.browser_js

    def browser_js_slower(self, url_path, code, ready="", login=None, timeout=60, **kwargs):
        return browser_js(self, url_path, code, ready=ready, login=login, timeout=timeout * factor, **kwargs)

    common.HttpCase.browser_js = browser_js_slower

    # Before the post-install tests Odoo pregenerates every asset bundle a
    # view calls, the JavaScript unit-test suites (QUnit, Hoot, Mocha) too:
    # 400 s of a run on a loaded 2-core machine. No test run here loads
    # those; the bundles the tours load are still pregenerated (and any
    # other is generated when first asked for, as in production).
    from odoo.addons.base.models.ir_qweb import IrQWeb  # noqa: PLC0415

    unused = re.compile(r"qunit|unit_tests|mocha|^web\.tests_assets$")
    bundles_to_pregenerate = IrQWeb._get_bundles_to_pregenarate

    def bundles_for_tours(self):
        js_bundles, css_bundles = bundles_to_pregenerate(self)
        return ({b for b in js_bundles if not unused.search(b)}, {b for b in css_bundles if not unused.search(b)})

    IrQWeb._get_bundles_to_pregenarate = bundles_for_tours
    sys.argv = ["odoo", *argv]
    from odoo.cli import main as odoo_main  # noqa: PLC0415

    odoo_main()


def run(cmd, log_path, show):
    print("$", " ".join(cmd[2:]), flush=True)
    with open(log_path, "w", encoding="utf-8", buffering=1) as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        lines = []
        for line in proc.stdout:
            log.write(line)
            if show(line):
                sys.stdout.write(line)
            lines.append(line)
        proc.wait()
    return proc.returncode, lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test-tags", default=ODOO_TAGS, help="Odoo --test-tags (default: %(default)s)")
    parser.add_argument("--keep-db", action="store_true", help="keep the database")
    parser.add_argument("--db", help="an existing database where everything is installed (skips step 1)")
    args = parser.parse_args()

    odoo = check_odoo()
    params = db_params()
    ensure_postgres(params)
    log_dir = os.path.join(ROOT, ".test-logs")
    os.makedirs(log_dir, exist_ok=True)
    dbname = args.db or f"suite_odoo_tests_{uuid.uuid4().hex[:8]}"
    started = time.time()
    passed = failed = 0
    try:
        if not args.db:
            install = odoo_cmd(odoo, params, dbname, "-i", ",".join(modules() + ODOO_MODULES),
                               "--stop-after-init", "--http-port", str(free_port()))
            code, lines = run(install, os.path.join(log_dir, f"odoo-install-{dbname}.log"),
                              lambda line: " ERROR " in line or " CRITICAL " in line)
            if code:
                print(f"Installing the suite failed ({code}); see {log_dir}")
                failed += 1
                return 1
            print(f"Installed in {time.time() - started:.0f} s", flush=True)
        cmd = odoo_cmd(odoo, params, dbname, "--test-enable", "--stop-after-init", "--test-tags", args.test_tags,
                       "--http-port", str(free_port()), "--log-level", "test")
        cmd[1:3] = [os.path.abspath(__file__), "--run-odoo"]
        code, lines = run(cmd, os.path.join(log_dir, f"odoo-tests-loaded-{dbname}.log"),
                          lambda line: (" ERROR " in line or " CRITICAL " in line or " FAIL:" in line
                                        or "odoo.tests.result" in line))
        seen = False
        for line in lines:
            match = RESULT_RE.search(line)
            if match:
                seen = True
                bad = int(match.group(1)) + int(match.group(2))
                failed += bad
                passed += int(match.group(3)) - bad
        if not seen or (code and not failed):
            print(f"Odoo exited with {code} (result line seen: {seen})")
            failed += 1
        elif not failed and any(re.search(r"\d+ (ERROR|CRITICAL) ", line) for line in lines):
            print("ERROR line(s) logged outside tests")
            failed += 1
    finally:
        if not args.keep_db and not args.db:
            drop_db(params, dbname)
        elif not args.db:
            print(f"Database kept: {dbname}")
        print(f"Odoo's own tests with the suite loaded: {time.time() - started:.0f} s", flush=True)
        print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--run-odoo":
        run_patched_odoo(sys.argv[2:])
    else:
        sys.exit(main())
