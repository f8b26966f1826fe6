"""Leak tests over HTTP, as the web client talks to the server: each role
logs in with /web/session/authenticate and reaches for the client it must
not see through the JSON routes, the export routes, the chatter routes,
/web/content, /web/image and /report, and tries to change it through the
chatter routes. No data of the client may come back and nothing may change.
"""

import io
import json
import re
import zipfile

import pytest
import requests
from leak_scenario import PNG, PROTECTED_ROLES, ROLES, assert_no_leak

CSRF_RE = re.compile(r'csrf_token\s*:\s*"([0-9a-f]+o\d+)"')


class Web:
    """A browser session of a demo user."""

    def __init__(self, url, db, login):
        self.url = url
        self.http = requests.Session()
        answer = self.http.post(f"{url}/web/session/authenticate", timeout=60, json={
            "jsonrpc": "2.0", "method": "call", "params": {"db": db, "login": login, "password": login}})
        assert answer.json()["result"]["uid"], answer.text
        self._csrf = None

    @property
    def csrf(self):
        if self._csrf is None:
            page = self.http.get(f"{self.url}/odoo", timeout=60).text
            self._csrf = CSRF_RE.search(page).group(1)
        return self._csrf

    def json(self, path, **params):
        """JSON-RPC route: (result, error); the HTTP status is 200 either way."""
        answer = self.http.post(f"{self.url}{path}", timeout=60,
                                json={"jsonrpc": "2.0", "method": "call", "params": params})
        assert answer.status_code == 200, answer.status_code
        body = answer.json()
        return body.get("result"), body.get("error")

    def call_kw(self, model, method, *args, **kwargs):
        return self.json(f"/web/dataset/call_kw/{model}/{method}", model=model, method=method, args=list(args),
                         kwargs=kwargs)

    def get(self, path):
        return self.http.get(f"{self.url}{path}", timeout=60)

    def post(self, path, data):
        return self.http.post(f"{self.url}{path}", data={**data, "csrf_token": self.csrf}, timeout=60)


@pytest.fixture(scope="module")
def web(odoo_url, odoo_db):
    sessions = {}

    def _web(login):
        if login not in sessions:
            sessions[login] = Web(odoo_url, odoo_db, login)
        return sessions[login]

    return _web


def body_text(response):
    """The readable text of an answer: XLSX and ZIP files are opened."""
    content = response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return content.decode("utf-8", "replace")


def assert_refused_or_empty(target, response):
    """An error page, or a file (XLSX opened) without the client."""
    assert_no_leak(target, body_text(response))


# ----------------------------------------------------------------------
# Paths
# ----------------------------------------------------------------------


def call_kw_reads(web, t):
    result, error = web.call_kw("res.partner", "web_read", [t.id], specification={"name": {}, "email": {}})
    assert error and not result
    assert_no_leak(t, error.get("data", {}).get("message", ""))
    result, error = web.call_kw("res.partner", "web_search_read", [("id", "in", [t.id, t.contact_id])],
                                specification={"name": {}, "email": {}, "phone": {}})
    assert not error and result["length"] == 0
    result, error = web.call_kw("res.partner", "web_search_read", [("email", "=", t.email)],
                                specification={"name": {}})
    assert not error and result["length"] == 0
    result, error = web.call_kw("res.partner", "name_search", t.name, limit=100)
    assert_no_leak(t, result)
    result, error = web.call_kw("res.partner", "web_read_group", [("id", "=", t.id)], ["name"], ["name"])
    assert not error and not result["groups"]


def export_routes(web, t):
    fields = [{"name": "name", "label": "Name"}, {"name": "email", "label": "Email"},
              {"name": "phone", "label": "Phone"}]
    for data in ({"model": "res.partner", "fields": fields, "ids": [t.id, t.contact_id], "domain": [],
                  "import_compat": False},
                 {"model": "res.partner", "fields": fields, "ids": False, "domain": [("id", "in", [t.id])],
                  "import_compat": False},
                 {"model": "crm.lead", "fields": [{"name": "partner_id", "label": "Customer"},
                                                  {"name": "email_from", "label": "Email"}],
                  "ids": [t.lead_id, t.pool_lead_id], "domain": [], "import_compat": False}):
        for route in ("/web/export/xlsx", "/web/export/csv"):
            assert_refused_or_empty(t, web.post(route, {"data": json.dumps(data)}))


def thread_messages(web, t):
    result, error = web.json("/mail/thread/messages", thread_model="res.partner", thread_id=t.id, limit=100)
    assert error or not result["messages"]
    assert_no_leak(t, result or error)


def thread_data(web, t):
    result, error = web.json("/mail/thread/data", thread_model="res.partner", thread_id=t.id,
                             request_list=["activities", "attachments", "followers", "scheduledMessages",
                                           "suggestedRecipients"])
    assert not error and result["mail.thread"] == [{"hasReadAccess": False, "hasWriteAccess": False, "id": t.id,
                                                    "model": "res.partner"}]
    assert set(result) == {"mail.thread"}, set(result)


def subscription_data(web, t):
    result, error = web.json("/mail/read_subscription_data", follower_id=t.follower_ids[0])
    assert error and not result
    assert_no_leak(t, error)


def partner_from_email(web, t):
    """Odoo finds the partner of an e-mail among those the user reads, or
    creates one named after the e-mail: never the hidden client."""
    result, error = web.json("/mail/partner/from_email", emails=[t.email])
    for partner in result or []:
        assert partner["id"] not in (t.id, t.contact_id) and partner["name"] != t.name
    assert_no_leak(t, {"error": error})
    created = [p["id"] for p in result or [] if p["id"] not in (t.id, t.contact_id)]
    if created:  # the duplicate would match the client's e-mail in the other paths
        t.admin("res.partner", "unlink", [created])


def mention_route(web, t):
    result, error = web.call_kw("res.partner", "get_mention_suggestions", t.name, limit=8)
    assert_no_leak(t, result or error)


def web_content(web, t):
    for path in (f"/web/content/{t.attachment_id}", f"/web/content/ir.attachment/{t.attachment_id}/datas",
                 f"/web/content/{t.attachment_id}?download=true"):
        response = web.get(path)
        assert response.status_code in (403, 404), (path, response.status_code)
        assert_no_leak(t, body_text(response))
    # /web/image answers Odoo's placeholder picture instead
    response = web.get(f"/web/image/{t.attachment_id}")
    assert response.status_code in (200, 403, 404) and t.marker.encode() not in response.content
    response = web.post("/mail/attachment/zip", {"file_ids": str(t.attachment_id), "zip_name": "leak.zip"})
    assert response.status_code == 403, response.status_code
    assert_no_leak(t, body_text(response))


def web_image(web, t):
    """The client's own image is never served; Odoo answers its placeholder."""
    for fname in ("avatar_128", "image_128", "image_1920"):
        response = web.get(f"/web/image/res.partner/{t.id}/{fname}")
        assert response.content != PNG
        real = t.reader_web.get(f"/web/image/res.partner/{t.id}/{fname}").content
        assert response.content != real, fname
        assert_no_leak(t, body_text(response) if response.headers.get("Content-Type", "").startswith(
            ("text", "image/svg")) else "")


def report_routes(web, t, report):
    for converter in ("html", "text"):
        response = web.get(f"/report/{converter}/{report}/{t.id}")
        assert response.status_code == 403, (converter, response.status_code)
        assert_no_leak(t, body_text(response))
    # PDF needs wkhtmltopdf (an error without it); the record is read the same way
    response = web.get(f"/report/pdf/{report}/{t.id}")
    assert response.status_code != 200 or response.headers.get("Content-Type") != "application/pdf"
    assert_no_leak(t, body_text(response))
    for converter, kind in (("text", "qweb-text"), ("pdf", "qweb-pdf")):
        data = json.dumps([f"/report/{converter}/{report}/{t.id}", kind])
        response = web.post("/report/download", {"data": data, "context": "{}"})
        assert "Odoo Server Error" in response.text, kind
        assert_no_leak(t, body_text(response))


READ_PATHS = {
    "/web/dataset/call_kw web_read, web_search_read, name_search, web_read_group": call_kw_reads,
    "/web/export/xlsx and /web/export/csv": export_routes,
    "/mail/thread/messages": thread_messages,
    "/mail/thread/data": thread_data,
    "/mail/read_subscription_data": subscription_data,
    "/mail/partner/from_email": partner_from_email,
    "mention suggestions": mention_route,
    "/web/content and /mail/attachment/zip": web_content,
    "/web/image": web_image,
}


@pytest.fixture(scope="module")
def targets(leak_scenario, web):
    hidden = leak_scenario["hidden"]
    for target in hidden.values():
        target.reader_web = web(target.reader.login)
    return hidden


@pytest.mark.parametrize("path", list(READ_PATHS))
@pytest.mark.parametrize("role", list(ROLES))
def test_hidden_client_not_readable_over_http(targets, web, role, path):
    READ_PATHS[path](web(role), targets[role])


@pytest.mark.parametrize("role", list(ROLES))
def test_hidden_client_not_in_reports(targets, web, leak_scenario, role):
    report = leak_scenario["report"]
    target = targets[role]
    session = web(role)
    # the report works: the role prints a client it sees
    [visible] = target.rpc("res.partner", "search_read", [[("is_company", "=", True), ("is_client", "=", True)]],
                           fields=["name"], limit=1)
    response = session.get(f"/report/html/{report}/{visible['id']}")
    assert response.status_code == 200 and visible["name"] in response.text
    report_routes(session, target, report)


@pytest.mark.parametrize("role", list(ROLES))
def test_http_routes_answer_for_visible_clients(leak_scenario, web, role):
    """Controls: the same routes do answer for a client the role sees, so the
    refusals above are the access rules at work, not a broken request."""
    session, rpc = web(role), leak_scenario["hidden"][role].rpc
    [visible] = rpc("res.partner", "search_read", [[("is_company", "=", True), ("is_client", "=", True)]],
                    fields=["name"], limit=1)
    result, error = session.call_kw("res.partner", "web_read", [visible["id"]], specification={"name": {}})
    assert not error and result[0]["name"] == visible["name"]
    result, error = session.json("/mail/thread/messages", thread_model="res.partner", thread_id=visible["id"])
    assert not error and "messages" in result
    data = json.dumps({"model": "res.partner", "fields": [{"name": "name", "label": "Name"}],
                       "ids": [visible["id"]], "domain": [], "import_compat": False})
    response = session.post("/web/export/csv", {"data": data})
    if role in PROTECTED_ROLES:  # no export right: refused whatever the client
        assert response.status_code == 500 and "UserError" in response.text
        assert visible["name"] not in response.text
    else:
        assert response.status_code == 200 and visible["name"] in response.text


# ----------------------------------------------------------------------
# Changes through the web client's routes
# ----------------------------------------------------------------------


def change_over_http(web, t):
    result, error = web.call_kw("res.partner", "web_save", [t.id], {"comment": "leak"}, specification={})
    assert error and not result
    result, error = web.call_kw("res.partner", "unlink", [t.id])
    assert error and not result
    result, error = web.json("/mail/message/post", thread_model="res.partner", thread_id=t.id,
                             post_data={"body": "leak", "message_type": "comment", "subtype_xmlid": "mail.mt_note"})
    assert error or not result
    result, error = web.json("/mail/message/update_content", message_id=t.message_id, body="leak",
                             attachment_ids=[])
    assert error or not result
    result, error = web.json("/mail/attachment/delete", attachment_id=t.attachment_id)
    assert error or not result
    result, error = web.call_kw("mail.activity", "action_feedback", [t.activity_id], feedback="leak")
    assert error and not result
    result, error = web.call_kw("crm.lead", "web_save", [t.pool_lead_id], {"user_id": web_uid(web)},
                                specification={})
    assert error and not result


def web_uid(web):
    result, _error = web.json("/web/session/get_session_info")
    return result["uid"]


@pytest.mark.parametrize("role", list(ROLES))
def test_hidden_client_not_changed_over_http(targets, web, role):
    target = targets[role]
    before = target.snapshot()
    change_over_http(web(role), target)
    assert target.snapshot() == before
