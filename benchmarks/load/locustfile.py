"""Locust load test of the suite: the web client's JSON-RPC calls of
salespeople and heads of department, the PBX pushing calls over XML-RPC and
the security officer reading the logs.

Run by ``benchmarks/load/run_load.py`` (which fills the database, starts Odoo
with ``--workers`` and checks the results afterwards); Locust lives in its own
virtualenv (it upgrades Werkzeug, which breaks Odoo in the system Python).

Environment (set by the runner):

- ``LOAD_DB``: the database;
- ``LOAD_JOURNAL``: a JSON file written at the end: every call pushed by the
  PBX and every note posted, with what the server answered, so that the
  runner can check the database against it;
- ``LOAD_SESSIONS``: a JSON file, login -> session id and uid of every
  person (logged in by the runner before the measure);
- ``LOAD_SALESPEOPLE``/``LOAD_HEADS``: how many ``load_sp<i>``/``load_head<i>``
  logins exist (password = login);
- ``LOAD_PBX_PERIOD``: seconds between two calls pushed (0.1);
- ``LOAD_PBX_LINES``: connections the PBX pushes through (4);
- ``LOAD_THINK``: ``min,max`` seconds a person waits between two actions.
"""

import itertools
import json
import os
import random
import sys
import time
import uuid
import xmlrpc.client
from datetime import date, datetime, timedelta, timezone

from locust import HttpUser, between, constant_pacing, events, task

DB = os.environ.get("LOAD_DB", "load_test")
JOURNAL = os.environ.get("LOAD_JOURNAL", "load-journal.json")
SALESPEOPLE = int(os.environ.get("LOAD_SALESPEOPLE", "50"))
HEADS = int(os.environ.get("LOAD_HEADS", "5"))
PBX_PERIOD = float(os.environ.get("LOAD_PBX_PERIOD", "0.1"))
PBX_LINES = int(os.environ.get("LOAD_PBX_LINES", "4"))
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK", "2,8").split(","))
RUN_ID = uuid.uuid4().hex[:8]
SESSIONS = {}
if os.environ.get("LOAD_SESSIONS"):
    with open(os.environ["LOAD_SESSIONS"], encoding="utf-8") as _handle:
        SESSIONS = json.load(_handle)  # login: {"sid": session id, "uid": user id}

_logins = {"sp": itertools.count(), "head": itertools.count()}
_journal = {"run_id": RUN_ID, "calls": [], "notes": [], "timings": {}, "interrupted": 0}
_state = {"stopping": False}
_pbx_seq = itertools.count()

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load_specs import FORM_SPEC, LIST_CONTEXT, LIST_SPEC, REQUEST_LIST  # noqa: E402


class OdooUser(HttpUser):
    """A person in the web client: a session cookie and JSON-RPC calls."""

    abstract = True
    wait_time = between(*THINK)
    login = None

    def on_start(self):
        """The person is logged in already (the runner opened every session
        before the measure, as people log in once a day)."""
        self.ids = []
        session = SESSIONS[self.login]
        self.client.cookies.set("session_id", session["sid"])
        self.uid = session["uid"]
        self.odoo_context = {"lang": "en_US", "tz": "UTC", "uid": self.uid, "allowed_company_ids": [1]}

    def rpc(self, path, params, name):
        body = {"id": random.randint(1, 10**9), "jsonrpc": "2.0", "method": "call", "params": params}
        with self.client.post(path, json=body, name=name, catch_response=True) as response:
            if response.status_code == 0 and _state["stopping"]:
                # a request cut by the end of the run (Locust stops its users), not the server's doing
                _journal["interrupted"] += 1
                response.success()
                return None
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return None
            try:
                data = response.json()
            except ValueError:
                response.failure("not JSON")
                return None
            if "error" in data:
                error = data["error"].get("data", {})
                response.failure(f"{error.get('name')}: {error.get('message', '')[:200]}")
                return None
            return data.get("result")

    def call_kw(self, model, method, args, kwargs, name):
        kwargs = dict(kwargs, context=dict(self.odoo_context, **kwargs.get("context", {})))
        return self.rpc(f"/web/dataset/call_kw/{model}/{method}",
                        {"model": model, "method": method, "args": args, "kwargs": kwargs}, name=name)

    # the web client's calls
    def client_list(self, name, domain=()):
        result = self.call_kw("res.partner", "web_search_read", [], {
            "specification": LIST_SPEC, "offset": 0, "order": "", "limit": 80, "count_limit": 10001,
            "domain": list(domain), "context": dict(LIST_CONTEXT),
        }, name=name)
        if result and result.get("records"):
            self.ids = [rec["id"] for rec in result["records"]]
        return result

    def open_client(self, prefix):
        if not self.ids:
            return
        partner = random.choice(self.ids)
        self.call_kw("res.partner", "web_read", [[partner]], {"specification": FORM_SPEC}, name=f"{prefix}: form")
        self.rpc("/mail/thread/data", {"thread_id": partner, "thread_model": "res.partner",
                                       "request_list": REQUEST_LIST}, name=f"{prefix}: chatter data")
        self.rpc("/mail/thread/messages", {"thread_id": partner, "thread_model": "res.partner", "limit": 30},
                 name=f"{prefix}: chatter messages")


class Salesperson(OdooUser):
    """Works their own clients: the list, a client's form and chatter, a note,
    an activity, a search."""

    weight = 1

    def on_start(self):
        self.login = f"load_sp{next(_logins['sp']) % SALESPEOPLE}"
        super().on_start()
        self.client_list("sales: client list")

    @task(4)
    def list_clients(self):
        self.client_list("sales: client list")

    @task(4)
    def open_client_task(self):
        self.open_client("sales")

    @task(2)
    def post_note(self):
        if not self.ids:
            return
        partner = random.choice(self.ids)
        token = f"load-{RUN_ID}-{uuid.uuid4().hex}"
        result = self.rpc("/mail/message/post", {
            "thread_model": "res.partner", "thread_id": partner, "context": self.odoo_context,
            "post_data": {"body": f"Call back about the offer ({token})", "message_type": "comment",
                          "subtype_xmlid": "mail.mt_note", "partner_ids": [], "attachment_ids": []},
        }, name="sales: post note")
        _journal["notes"].append({"token": token, "partner": partner, "ok": result is not None})

    @task(1)
    def schedule_activity(self):
        if not self.ids:
            return
        partner = random.choice(self.ids)
        self.call_kw("mail.activity", "web_save", [[], {
            "summary": "Call back", "date_deadline": (date.today() + timedelta(days=2)).isoformat(),
            "user_id": self.uid,
        }], {"specification": {}, "context": {"default_res_model": "res.partner", "default_res_id": partner}},
            name="sales: schedule activity")

    @task(2)
    def search(self):
        term = f"Client {random.randint(1, 999)}"
        self.call_kw("res.partner", "name_search", [], {"name": term, "operator": "ilike", "args": [],
                                                        "limit": 8}, name="sales: many2one search")
        self.client_list("sales: list search", [("complete_name", "ilike", term)])


class Head(OdooUser):
    """A head of department: the department's clients by curator, a client,
    the opportunity pipeline."""

    fixed_count = HEADS

    def on_start(self):
        self.login = f"load_head{next(_logins['head']) % max(HEADS, 1)}"
        super().on_start()
        self.client_list("head: client list")

    @task(3)
    def list_clients(self):
        self.client_list("head: client list")

    @task(2)
    def by_curator(self):
        self.call_kw("res.partner", "web_read_group", [], {
            "domain": [("is_client", "=", True)], "groupby": ["user_id"], "fields": ["user_id"],
            "orderby": "", "lazy": True, "offset": 0, "limit": 80}, name="head: clients by curator")

    @task(2)
    def open_client_task(self):
        self.open_client("head")

    @task(1)
    def pipeline(self):
        self.call_kw("crm.lead", "web_read_group", [], {
            "domain": [("type", "=", "opportunity")], "groupby": ["stage_id"],
            "fields": ["expected_revenue:sum"], "orderby": "", "lazy": True, "offset": 0, "limit": 80,
        }, name="head: pipeline")


class Officer(OdooUser):
    """The security officer reading the audit log and the PBX ingest log."""

    fixed_count = 1
    login = "officer"

    @task(3)
    def audit_log(self):
        self.call_kw("client_guard.audit.log", "web_search_read", [], {
            "specification": {"create_date": {}, "res_name": {}, "field_name": {}, "client_name": {},
                              "user_id": {"fields": {"display_name": {}}}},
            "domain": [], "offset": 0, "order": "", "limit": 80, "count_limit": 10001}, name="officer: audit log")

    @task(1)
    def ingest_log(self):
        self.call_kw("pbx.ingest.log", "web_search_read", [], {
            "specification": {"create_date": {}, "display_name": {}}, "domain": [], "offset": 0, "order": "",
            "limit": 80, "count_limit": 10001}, name="officer: PBX ingest log")


class Pbx(HttpUser):
    """The PBX: one call every LOAD_PBX_PERIOD seconds over XML-RPC
    ``pbx.call.register_calls``, as the Asterisk connector does, through
    LOAD_PBX_LINES connections (a call pushed while the previous one is still
    being answered, as a PBX does when calls end close together)."""

    fixed_count = PBX_LINES
    wait_time = constant_pacing(PBX_PERIOD * PBX_LINES)

    def on_start(self):
        self.seq = _pbx_seq
        self.uid = SESSIONS["load_pbx"]["uid"]  # the runner logged it in: one rehash of its password, not four

    @task
    def push_call(self):
        n = next(self.seq)
        uniqueid = f"load.{RUN_ID}.{n}"
        client = random.randint(1, int(os.environ.get("LOAD_CLIENTS", "100000")))
        ext = str(1000 + random.randrange(SALESPEOPLE))
        inbound = random.random() < 0.7
        number = f"+7495{client:07d}" if random.random() < 0.9 else f"+7903{random.randint(0, 9999999):07d}"
        call = {
            "uniqueid": uniqueid, "source": "load", "src": number if inbound else ext,
            "dst": ext if inbound else number,
            "start": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S+00:00"),
            "duration": 60, "billsec": 45, "disposition": "ANSWERED",
        }
        body = xmlrpc.client.dumps((DB, self.uid, "load_pbx", "pbx.call", "register_calls", [[call]]), "execute_kw",
                                   allow_none=True)
        status = None
        with self.client.post("/xmlrpc/2/object", data=body, name="pbx: register_calls",
                              headers={"Content-Type": "text/xml"}, catch_response=True) as response:
            try:
                answer = xmlrpc.client.loads(response.content)[0][0]
                status = answer[0]["status"]
                if status == "error":
                    response.failure(answer[0].get("error"))
            except xmlrpc.client.Fault as fault:
                response.failure(fault.faultString[-200:])
            except Exception as error:  # any broken answer is a failure of the request
                if response.status_code == 0 and _state["stopping"]:
                    _journal["interrupted"] += 1
                    response.success()
                    return
                response.failure(f"{type(error).__name__}: {response.status_code}")
        _journal["calls"].append({"uniqueid": uniqueid, "status": status, "at": time.time()})


@events.request.add_listener
def _time_request(name, response_time, exception, **_kwargs):
    """Every response time (ms), per kind of request, for exact percentiles
    over groups of requests (all the salespeople's)."""
    if exception is None and not _state["stopping"]:
        _journal["timings"].setdefault(name, []).append(round(response_time, 1))


@events.test_stopping.add_listener
def _stopping(**_kwargs):
    _state["stopping"] = True


@events.quitting.add_listener
def _write_journal(environment, **_kwargs):
    with open(JOURNAL, "w", encoding="utf-8") as handle:
        json.dump(_journal, handle)
