"""client_guard_audit against the live server: the officer's view of the
audit over XML-RPC and HTTP, and the refusals for everyone else."""

import json
import urllib.request
import xmlrpc.client
from http.cookiejar import CookieJar

import pytest

CURATORS_CHANGED = [("model", "=", "res.partner"), ("field_name", "=", "user_id"), ("operation", "=", "write")]
FIELDS = ["user_id", "path", "operation", "field_name", "old_value", "new_value", "res_id", "client_name"]


def http_session(odoo_url, odoo_db, login, password):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    body = json.dumps({"jsonrpc": "2.0", "method": "call",
                       "params": {"db": odoo_db, "login": login, "password": password}}).encode()
    request = urllib.request.Request(f"{odoo_url}/web/session/authenticate", data=body,
                                     headers={"Content-Type": "application/json"})
    assert "error" not in json.loads(opener.open(request).read())
    return opener


def test_officer_sees_demo_curator_change(login):
    officer = login("officer")
    rows = officer("client_guard.audit.log", "search_read", [CURATORS_CHANGED], fields=FIELDS)
    assert any(row["old_value"] == "Ivan Petrov" and row["new_value"] == "Maria Kuznetsova" for row in rows), rows
    deleted = officer("client_guard.audit.log", "search_read", [[("operation", "=", "message_deleted")]],
                      fields=FIELDS)
    assert any("30%" in row["old_value"] for row in deleted)


def test_change_over_rpc_logged_with_path(login):
    ivan, officer = login("ivan"), login("officer")
    [client] = ivan("res.partner", "search_read", [[("is_company", "=", True), ("mobile", "=", False),
                                                     ("user_id", "=", ivan.uid)]], fields=["name"], limit=1)
    ivan("res.partner", "write", [[client["id"]], {"mobile": "+7 916 555-44-33"}])
    [row] = officer("client_guard.audit.log", "search_read",
                    [[("res_id", "=", client["id"]), ("model", "=", "res.partner"), ("field_name", "=", "mobile")]],
                    fields=FIELDS)
    assert (row["path"], row["user_id"][0], row["old_value"], row["new_value"]) == (
        "rpc", ivan.uid, "", "+7 916 555-44-33")


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_log_is_append_only_over_rpc(login, role):
    rpc, officer = login(role), login("officer")
    [log] = officer("client_guard.audit.log", "search_read", [CURATORS_CHANGED], fields=FIELDS, limit=1)
    with pytest.raises(xmlrpc.client.Fault):
        rpc("client_guard.audit.log", "write", [[log["id"]], {"new_value": "forged"}])
    with pytest.raises(xmlrpc.client.Fault):
        rpc("client_guard.audit.log", "unlink", [[log["id"]]])
    with pytest.raises(xmlrpc.client.Fault):
        rpc("client_guard.audit.log", "create", [{"operation": "write", "model": "res.partner"}])
    [again] = officer("client_guard.audit.log", "read", [[log["id"]]], fields=FIELDS)
    assert again == log


@pytest.mark.parametrize("role", ["ivan", "maria", "dmitry"])
def test_salespeople_do_not_read_the_log(login, role):
    rpc = login(role)
    with pytest.raises(xmlrpc.client.Fault):
        rpc("client_guard.audit.log", "search_read", [[]], fields=["old_value"], limit=1)
    with pytest.raises(xmlrpc.client.Fault):
        rpc("client_guard.audit.rule", "write", [[1], {"log_unlink": False}])


def test_officer_exports_xlsx_over_http(login, odoo_url, odoo_db):
    officer = login("officer")
    ids = officer("client_guard.audit.log", "search", [CURATORS_CHANGED])
    opener = http_session(odoo_url, odoo_db, "officer", "officer")
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
        "model": "client_guard.audit.log", "method": "action_export_xlsx", "args": [ids], "kwargs": {}}}).encode()
    request = urllib.request.Request(f"{odoo_url}/web/dataset/call_kw/client_guard.audit.log/action_export_xlsx",
                                     data=body, headers={"Content-Type": "application/json"})
    action = json.loads(opener.open(request).read())["result"]
    content = opener.open(f"{odoo_url}{action['url']}").read()
    assert content[:2] == b"PK"  # an XLSX (zip) file
    # nobody else downloads it
    other = http_session(odoo_url, odoo_db, "ivan", "ivan")
    try:
        leaked = other.open(f"{odoo_url}{action['url']}").read()
    except urllib.error.HTTPError as error:
        assert error.code in (403, 404)
    else:
        assert leaked[:2] != b"PK"
