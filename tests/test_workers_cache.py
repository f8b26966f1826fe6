"""Several workers: a change made through one worker holds in every other on
the next request.

The test starts a second Odoo server on the live test database with
``--workers=2`` (two prefork processes behind one socket, like production),
changes a user's departments, team membership and trusted networks through
the live server or one of the workers, and asks again from several
connections at once, so that both workers answer (their pids in the server
log prove it). Record rules and trusted networks are cached per process
(``ormcache``); ``registry.clear_cache()`` in the suite bumps PostgreSQL's
cache sequence at the end of the request, and every process checks it at the
start of its next one.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CALLS = 12  # calls per check, 4 at a time: both workers answer some


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def workers(odoo_db):
    port = _free_port()
    log = tempfile.NamedTemporaryFile(prefix="odoo-workers-", suffix=".log", delete=False)
    log.close()
    cmd = [
        sys.executable, "-m", "odoo", "-c", os.environ["ODOO_CONF"], "-d", odoo_db, "--db-filter", f"^{odoo_db}$",
        "--addons-path", os.environ["ODOO_ADDONS_PATH"],
        "--db_host", os.environ["ODOO_DB_HOST"], "--db_port", os.environ["ODOO_DB_PORT"],
        "--db_user", os.environ["ODOO_DB_USER"], "--db_password", os.environ["ODOO_DB_PASSWORD"],
        "--http-interface", "127.0.0.1", "--http-port", str(port), "--gevent-port", str(_free_port()),
        "--workers", "2", "--max-cron-threads", "0", "--limit-time-real", "600", "--limit-time-cpu", "600",
        "--logfile", log.name, "--log-level", "info",
    ]
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while True:
        try:
            xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").version()
            break
        except OSError:
            if time.time() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"the --workers=2 server did not start; see {log.name}")
            time.sleep(0.5)
    yield url, log.name
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
    os.unlink(log.name)


_UIDS = {}


def _uid(url, db, login):
    """Log in once per user, before the calls run in parallel (logging the
    same user in from several connections at once is not what is tested)."""
    if login not in _UIDS:
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        _UIDS[login] = common.authenticate(db, login, login, {})
    return _UIDS[login]


def _call(url, db, login, model, method, args, kwargs=None):
    """One call over a new connection (a worker takes one connection)."""
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
    return models.execute_kw(db, _uid(url, db, login), login, model, method, args, kwargs or {})


def _ask_all(url, db, login, model, method, args, log_path):
    """CALLS calls 4 at a time; returns their answers (or the faults) and
    the pids of the workers that answered them."""
    with open(log_path, encoding="utf-8") as handle:
        handle.seek(0, os.SEEK_END)
        start = handle.tell()

    _uid(url, db, login)

    def one(_i):
        try:
            return _call(url, db, login, model, method, args)
        except xmlrpc.client.Fault as fault:
            text = fault.faultString
            return "refused" if "Access" in text or "network" in text else text

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(one, range(CALLS)))
    time.sleep(0.3)
    with open(log_path, encoding="utf-8") as handle:
        handle.seek(start)
        pids = set(re.findall(r"^\S+ \S+ (\d+) INFO \S+ werkzeug: .*POST /xmlrpc/2/object", handle.read(), re.M))
    return answers, pids


def _ref(admin, xmlid):
    module, name = xmlid.split(".")
    return admin("ir.model.data", "search_read", [[("module", "=", module), ("name", "=", name)]],
                 fields=["res_id"])[0]["res_id"]


def _spb_clients(admin, spb):
    return admin("res.partner", "search_count", [[("is_client", "=", True), ("team_id", "=", spb)]])


def test_department_change_reaches_every_worker(admin, odoo_db, workers):
    """maria (department level, Sales Moscow) gets Saint Petersburg as an extra
    department through one worker: both workers show her its clients at once;
    taken back through the live server, both hide them again."""
    url, log_path = workers
    maria = _ref(admin, "client_guard.user_sales_department")
    spb = _ref(admin, "client_guard.team_spb")
    expected = _spb_clients(admin, spb)
    assert expected
    domain = [[("is_client", "=", True), ("team_id", "=", spb)]]
    answers, pids = _ask_all(url, odoo_db, "maria", "res.partner", "search_count", domain, log_path)
    assert set(answers) == {0}, answers  # cached in both workers: nothing of Saint Petersburg
    assert len(pids) == 2, pids
    try:
        _call(url, odoo_db, "admin", "res.users", "write", [[maria], {"extra_team_ids": [(4, spb)]}])
        answers, pids = _ask_all(url, odoo_db, "maria", "res.partner", "search_count", domain, log_path)
        assert set(answers) == {expected}, answers
        assert len(pids) == 2, pids
    finally:
        admin("res.users", "write", [[maria], {"extra_team_ids": [(3, spb)]}])  # through the other server
    answers, pids = _ask_all(url, odoo_db, "maria", "res.partner", "search_count", domain, log_path)
    assert set(answers) == {0}, answers
    assert len(pids) == 2, pids


def test_team_leader_change_reaches_every_worker(admin, odoo_db, workers):
    """maria becomes the leader of Saint Petersburg (``crm.team``) through one
    worker, then dmitry again through the live server: every worker follows
    on the next request."""
    url, log_path = workers
    maria = _ref(admin, "client_guard.user_sales_department")
    spb = _ref(admin, "client_guard.team_spb")
    leader = admin("crm.team", "read", [[spb]], fields=["user_id"])[0]["user_id"][0]
    expected = _spb_clients(admin, spb)
    domain = [[("is_client", "=", True), ("team_id", "=", spb)]]
    _ask_all(url, odoo_db, "maria", "res.partner", "search_count", domain, log_path)  # warm both caches
    _call(url, odoo_db, "admin", "crm.team", "write", [[spb], {"user_id": maria}])
    try:
        answers, pids = _ask_all(url, odoo_db, "maria", "res.partner", "search_count", domain, log_path)
        assert set(answers) == {expected}, answers
        assert len(pids) == 2, pids
    finally:
        admin("crm.team", "write", [[spb], {"user_id": leader}])
    answers, pids = _ask_all(url, odoo_db, "maria", "res.partner", "search_count", domain, log_path)
    assert set(answers) == {0}, answers
    assert len(pids) == 2, pids


def test_trusted_network_change_reaches_every_worker(admin, odoo_db, workers):
    """A trusted network that does not hold 127.0.0.1 is given to ivan through
    the live server: both workers refuse his next call; once removed through
    one worker, both serve him again."""
    url, log_path = workers
    ivan = _ref(admin, "client_guard.user_sales_own")
    args = [[("is_client", "=", True)]]
    answers, pids = _ask_all(url, odoo_db, "ivan", "res.partner", "search_count", args, log_path)
    allowed = answers[0]
    assert isinstance(allowed, int) and set(answers) == {allowed}, answers
    assert len(pids) == 2, pids
    network = admin("res.users.trusted.network", "create", [{"user_id": ivan, "network": "10.99.0.0/16"}])
    try:
        answers, _pids = _ask_all(url, odoo_db, "ivan", "res.partner", "search_count", args, log_path)
        assert set(answers) == {"refused"}, answers
    finally:
        _call(url, odoo_db, "admin", "res.users.trusted.network", "unlink", [[network]])
    answers, pids = _ask_all(url, odoo_db, "ivan", "res.partner", "search_count", args, log_path)
    assert set(answers) == {allowed}, answers
    assert len(pids) == 2, pids
