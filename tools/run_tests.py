#!/usr/bin/env python3
"""Run every test of the suite against a real Odoo 18.0 and PostgreSQL.

1. checks that Odoo 18.0 is importable (or says what to install);
2. makes sure PostgreSQL answers, starting a stopped local cluster if needed;
3. creates a throwaway database and installs every module of ``addons/``
   with its tests (``--test-enable``) and demo data;
4. starts that database on a free port and runs the top-level ``tests/``
   (pytest, XML-RPC and HTTP as each role);
5. drops the database and prints ``N passed, N failed`` last.

Exit code: 0 when everything passed, 1 on any failure or error, 2 when the
platform is missing.
"""

import argparse
import configparser
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = os.path.join(ROOT, "addons")
CONF = os.path.join(ROOT, "odoo.conf")
RESULT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
# Odoo's HttpCase skips a browser tour when Chromium or websocket-client is
# missing (or Chromium does not start): such a skip counts as a failure here.
SKIP_RE = re.compile(r" skipped (\S+) : (.*)")
BROWSER_SKIP_RE = re.compile(r"chrome|chromium|websocket|browser|devtools", re.IGNORECASE)
# the test server closing a browser's idle keep-alive connection during a tour
BENIGN_ERROR_RE = re.compile(r" ERROR \? werkzeug: .*Request timed out: TimeoutError")
CHROME_NAMES = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")
PYTEST_RE = re.compile(r"=+ (.*) in [\d.]+s")


def fail_platform(message):
    print(message, file=sys.stderr)
    print("0 passed, 1 failed")
    sys.exit(2)


def check_odoo():
    try:
        import odoo.release  # noqa: PLC0415
    except ImportError:
        fail_platform(
            "Odoo 18.0 is not importable (python3 -c 'import odoo' failed).\n"
            "Install Odoo 18.0 Community from source (odoo.com/documentation/18.0, 'Source install')\n"
            "and this suite's requirements (`pip install -r requirements.txt`), or run the tests in Docker\n"
            "with `./run-tests` on a machine where a Docker engine answers."
        )
    if odoo.release.serie != "18.0":
        fail_platform(f"Odoo 18.0 is required, found {odoo.release.version}.")
    return odoo


def db_params():
    conf = configparser.ConfigParser()
    conf.read(CONF)
    opts = conf["options"] if conf.has_section("options") else {}
    return {
        "host": os.environ.get("HOST") or opts.get("db_host") or "127.0.0.1",
        "port": int(os.environ.get("PORT") or opts.get("db_port") or 5432),
        "user": os.environ.get("USER_DB") or opts.get("db_user") or "odoo",
        "password": os.environ.get("PASSWORD") or opts.get("db_password") or "odoo",
    }


def pg_connect(params, user=None, dbname="postgres"):
    import psycopg2  # noqa: PLC0415

    return psycopg2.connect(
        host=params["host"], port=params["port"], dbname=dbname,
        user=user or params["user"], password=params["password"], connect_timeout=5,
    )


def start_local_cluster():
    if not shutil.which("pg_lsclusters"):
        return False
    out = subprocess.run(["pg_lsclusters", "--no-header"], check=False, capture_output=True, text=True).stdout
    started = False
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[3] != "online":
            print(f"Starting PostgreSQL cluster {parts[0]}/{parts[1]} ...", flush=True)
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", parts[0], parts[1], "start"],
                check=False,
            )
            started = True
    return started


def ensure_postgres(params):
    import psycopg2  # noqa: PLC0415

    for attempt in range(2):
        try:
            pg_connect(params).close()
            return
        except psycopg2.OperationalError as exc:
            message = str(exc)
            if "does not exist" in message and "role" in message:
                create_role(params)
                continue
            if attempt == 0 and params["host"] in ("127.0.0.1", "localhost") and start_local_cluster():
                for _wait in range(30):
                    time.sleep(1)
                    try:
                        pg_connect(params).close()
                        return
                    except psycopg2.OperationalError as exc2:
                        if "role" in str(exc2):
                            create_role(params)
                fail_platform(f"PostgreSQL did not come up: {message}")
            if attempt == 0:
                continue
            fail_platform(f"PostgreSQL is not reachable at {params['host']}:{params['port']}: {message}")


def create_role(params):
    """Create the Odoo role with a local superuser role (trust auth)."""
    import psycopg2  # noqa: PLC0415

    for admin in ("postgres", os.environ.get("LOGNAME") or "root"):
        try:
            conn = pg_connect(params, user=admin)
        except psycopg2.OperationalError:
            continue
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_roles WHERE rolname=%s", (params["user"],))
            if not cr.fetchone():
                cr.execute(
                    f'CREATE ROLE "{params["user"]}" LOGIN CREATEDB PASSWORD %s', (params["password"],)
                )
        conn.close()
        return
    fail_platform(f"PostgreSQL role {params['user']!r} is missing and could not be created.")


def modules():
    names = []
    for name in sorted(os.listdir(ADDONS)):
        manifest = os.path.join(ADDONS, name, "__manifest__.py")
        if os.path.isfile(manifest):
            with open(manifest, encoding="utf-8") as handle:
                if "'installable': False" not in handle.read():
                    names.append(name)
    return names


def addons_path(odoo):
    paths = [ADDONS]
    root = os.path.dirname(os.path.dirname(odoo.__file__))
    for candidate in (os.path.join(os.path.dirname(odoo.__file__), "addons"), os.path.join(root, "addons")):
        if os.path.isdir(candidate) and candidate not in paths:
            paths.append(candidate)
    extra = os.environ.get("EXTRA_ADDONS_PATH")
    if extra:
        paths.extend(p for p in extra.split(",") if p)
    return ",".join(paths)


def odoo_cmd(odoo, params, dbname, *extra, conf=CONF):
    return [
        sys.executable, "-m", "odoo", "-c", conf, "-d", dbname,
        "--addons-path", addons_path(odoo),
        "--db_host", params["host"], "--db_port", str(params["port"]),
        "--db_user", params["user"], "--db_password", params["password"],
        *extra,
    ]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def browser_missing():
    """What the browser tours need and this machine lacks (empty when all is there)."""
    missing = []
    if not any(shutil.which(name) for name in CHROME_NAMES):
        missing.append("Chromium (Debian: apt-get install chromium)")
    try:
        import websocket  # noqa: F401, PLC0415
    except ImportError:
        missing.append("the Python module websocket (pip install websocket-client)")
    return missing


def run_odoo_tests(odoo, params, dbname, mods, test_tags, log_path, without_demo=False):
    cmd = odoo_cmd(
        odoo, params, dbname, "-i", ",".join(mods), "--test-enable", "--stop-after-init",
        "--http-port", str(free_port()), "--log-level", "test",
        *(["--without-demo", "all"] if without_demo else []),
    )
    if test_tags:
        cmd += ["--test-tags", test_tags]
    print("$", " ".join(cmd[2:]), flush=True)
    passed = failed = 0
    seen_result = False
    skipped_tours = []
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        for line in proc.stdout:
            log.write(line)
            if " ERROR " in line or " CRITICAL " in line or " FAIL:" in line or "odoo.tests.result" in line:
                sys.stdout.write(line)
            skip = SKIP_RE.search(line)
            if skip and BROWSER_SKIP_RE.search(skip.group(2)):
                skipped_tours.append(f"{skip.group(1)} ({skip.group(2).strip()})")
            match = RESULT_RE.search(line)
            if match:
                seen_result = True
                bad = int(match.group(1)) + int(match.group(2))
                failed += bad
                passed += int(match.group(3)) - bad
        proc.wait()
    if skipped_tours:
        print(f"{len(skipped_tours)} browser tour(s) could not run and count as failed:")
        for name in skipped_tours:
            print(f"  FAILED (not run): {name}")
        missing = browser_missing()
        if missing:
            print("Missing: " + "; ".join(missing) + ". `.ci/run` installs them.")
        passed -= len(skipped_tours)
        failed += len(skipped_tours)
    errors = 0
    with open(log_path, encoding="utf-8") as log:
        for line in log:
            if BENIGN_ERROR_RE.search(line):
                continue
            if re.search(r"\d+ (ERROR|CRITICAL) ", line) and "odoo.tests.result" not in line:
                errors += 1
    if not seen_result or (proc.returncode != 0 and not failed):
        print(f"Odoo exited with {proc.returncode} (result line seen: {seen_result}); see {log_path}")
        failed += 1
    elif errors and not failed:
        print(f"{errors} ERROR line(s) logged outside tests; see {log_path}")
        failed += 1
    return passed, failed


def wait_port(port, proc, timeout=120, pause=0.5):
    """Wait until ``proc`` (a Popen) accepts connections on loopback ``port``;
    False when it exits or the time runs out. Also used by the directory
    servers of client_guard_domain_login's tests."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(pause)
    return False


def run_top_tests(odoo, params, dbname, log_path, pytest_args):
    test_dir = os.path.join(ROOT, "tests")
    if not any(f.startswith("test_") for f in os.listdir(test_dir)):
        return 0, 0
    port = free_port()
    cmd = odoo_cmd(odoo, params, dbname, "--http-port", str(port), "--http-interface", "127.0.0.1",
                   "--workers", "0", "--max-cron-threads", "0", "--logfile", log_path)
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_port(port, server):
            print(f"The Odoo server for tests/ did not start; see {log_path}")
            return 0, 1
        env = dict(os.environ, ODOO_URL=f"http://127.0.0.1:{port}", ODOO_DB=dbname,
                   ODOO_ADDONS_PATH=addons_path(odoo), ODOO_CONF=CONF,
                   ODOO_DB_HOST=params["host"], ODOO_DB_PORT=str(params["port"]),
                   ODOO_DB_USER=params["user"], ODOO_DB_PASSWORD=params["password"])
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test_dir, *pytest_args],
            check=False, cwd=ROOT, env=env, capture_output=True, text=True,
        )
        sys.stdout.write(proc.stdout[-20000:])
        sys.stderr.write(proc.stderr[-5000:])
        passed = failed = 0
        summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
        for count, word in re.findall(r"(\d+) (passed|failed|errors?)", summary):
            if word == "passed":
                passed += int(count)
            else:
                failed += int(count)
        if proc.returncode not in (0, 5) and not failed:
            failed += 1
        return passed, failed
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


def run_odoo_own_tests():
    """tools/run_odoo_tests.py: Odoo's own tests with the whole suite loaded."""
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "run_odoo_tests.py")],
                          check=False, cwd=ROOT, capture_output=True, text=True)
    sys.stdout.write(proc.stdout[-20000:])
    match = re.search(r"^(\d+) passed, (\d+) failed$", proc.stdout, re.M)
    if not match:
        return 0, 1
    passed, failed = int(match.group(1)), int(match.group(2))
    return passed, failed or int(proc.returncode != 0)


def drop_db(params, dbname):
    conn = pg_connect(params)
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
    conn.close()


def run_sweep_stage(odoo, params, mods, extra, log_dir, keep_db):
    """The registry sweep of client_guard on a second database with more of
    Odoo installed (without demo data), and the tests that need one of those
    modules (client_guard_intake's Time Off proposals need hr_holidays)."""
    dbname = f"suite_sweep_{uuid.uuid4().hex[:8]}"
    sweep_mods = list(dict.fromkeys([*mods, *[m for m in extra.split(",") if m]]))
    tags = ["/client_guard:TestRegistrySweep"]
    if "client_guard_intake" in sweep_mods and "hr_holidays" in sweep_mods:
        # the deputies proposed from Time Off: skipped in the main stage, which has no hr_holidays
        tags.append("/client_guard_intake:TestDeputyTimeOff")
    try:
        return run_odoo_tests(odoo, params, dbname, sweep_mods, ",".join(tags),
                              os.path.join(log_dir, f"odoo-tests-{dbname}.log"), without_demo=True)
    finally:
        if not keep_db:
            drop_db(params, dbname)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", help="comma-separated modules (default: every module of addons/)")
    parser.add_argument("--test-tags", help="Odoo --test-tags filter")
    parser.add_argument("--without-demo", action="store_true",
                        help="install without demo data (faster; the top-level tests need demo data)")
    parser.add_argument("--keep-db", action="store_true", help="keep the throwaway database")
    parser.add_argument("--no-top", action="store_true", help="skip the top-level tests/")
    parser.add_argument("--odoo-tests", action="store_true",
                        help="also run Odoo's own tests (sales_team, crm, sale, test_mail...) on a second"
                        " database where the whole suite is installed (tools/run_odoo_tests.py)")
    # registry sweep of client_guard (tests/test_registry_sweep.py) a second time with more of Odoo
    # installed: it walks whatever the registry holds, so other modules are covered without new tests
    parser.add_argument("--sweep", action="store_true",
                        help="run the registry sweep with --sweep-modules installed (on by default for a full run)")
    parser.add_argument("--no-sweep", action="store_true", help="skip that extra stage")
    parser.add_argument("--sweep-modules", default="sale_management,account,calendar,portal,hr_holidays",
                        help="modules installed besides the suite for the sweep stage")
    args, pytest_args = parser.parse_known_args()

    odoo = check_odoo()
    params = db_params()
    ensure_postgres(params)
    mods = args.modules.split(",") if args.modules else modules()
    # by default only the suite's own tests run (not those of every dependency)
    tags = args.test_tags or ",".join(f"/{m}" for m in mods)
    missing = browser_missing()
    if missing:
        print("The browser tours (HttpCase.start_tour) cannot run: missing " + "; ".join(missing)
              + ". They will be counted as failed, not skipped.", flush=True)
    dbname = f"suite_test_{uuid.uuid4().hex[:8]}"
    # the registry sweep writes its summary there (pasted into the README's sweep table)
    os.environ["CLIENT_GUARD_SWEEP_REPORT"] = os.path.join(ROOT, ".test-logs", "registry-sweep.md")
    if os.path.exists(os.environ["CLIENT_GUARD_SWEEP_REPORT"]):
        os.remove(os.environ["CLIENT_GUARD_SWEEP_REPORT"])
    log_dir = os.path.join(ROOT, ".test-logs")
    try:
        os.makedirs(log_dir, exist_ok=True)
        if not os.access(log_dir, os.W_OK):
            raise PermissionError(log_dir)
    except OSError:
        log_dir = os.path.join(tempfile.gettempdir(), "suite-test-logs")
        os.makedirs(log_dir, exist_ok=True)
    passed = failed = 0
    try:
        p, f = run_odoo_tests(odoo, params, dbname, mods, tags, os.path.join(log_dir, f"odoo-tests-{dbname}.log"),
                              args.without_demo)
        print(f"Odoo module tests: {p} passed, {f} failed", flush=True)
        passed, failed = passed + p, failed + f
        if not args.no_top and not args.without_demo:
            p, f = run_top_tests(odoo, params, dbname, os.path.join(log_dir, f"server-{dbname}.log"), pytest_args)
            print(f"Top-level tests/: {p} passed, {f} failed", flush=True)
            passed, failed = passed + p, failed + f
        if args.sweep or (not args.no_sweep and not args.modules and not args.test_tags):
            p, f = run_sweep_stage(odoo, params, mods, args.sweep_modules, log_dir, args.keep_db)
            print(f"Registry sweep with {args.sweep_modules}: {p} passed, {f} failed", flush=True)
            passed, failed = passed + p, failed + f
    finally:
        if not args.keep_db:
            drop_db(params, dbname)
        else:
            print(f"Database kept: {dbname}")
    if args.odoo_tests:
        p, f = run_odoo_own_tests()
        print(f"Odoo's own tests with the suite loaded: {p} passed, {f} failed", flush=True)
        passed, failed = passed + p, failed + f
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
