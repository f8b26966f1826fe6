"""Issue 16 against the live server with the demo data: what the caller sends
(context keys, a department's team_id) does not loosen the rules, as each demo
role that must not succeed."""

import xmlrpc.client

import pytest

FORGED = {"client_guard_audit_skip": True, "client_guard_audit_path": "system", "client_guard_audit_internal": True,
          "import_file": True, "curator_transfer_bulk": True, "tracking_disable": True}


def xmlid(admin, name):
    [row] = admin("ir.model.data", "search_read", [[("module", "=", "client_guard"), ("name", "=", name)]],
                  fields=["res_id"])
    return row["res_id"]


def test_audit_skip_and_path_keys_ignored(login):
    ivan, officer = login("ivan"), login("officer")
    [client] = ivan("res.partner", "search_read", [[("is_company", "=", True), ("vat", "=", False),
                                                     ("user_id", "=", ivan.uid)]], fields=["name"], limit=1)
    ivan("res.partner", "write", [[client["id"]], {"vat": "7709999999"}], context=FORGED)
    rows = officer("client_guard.audit.log", "search_read",
                   [[("res_id", "=", client["id"]), ("model", "=", "res.partner"), ("field_name", "=", "vat")]],
                   fields=["path", "new_value", "user_id"])
    assert [(row["path"], row["new_value"], row["user_id"][0]) for row in rows] == [("rpc", "7709999999", ivan.uid)]


def test_head_cannot_take_a_client_of_a_hidden_department(login, admin):
    head = login("head")
    spb, moscow = xmlid(admin, "team_spb"), xmlid(admin, "team_moscow")
    [client] = admin("res.partner", "search_read", [[("is_company", "=", True), ("team_id", "=", spb),
                                                     ("is_private", "=", False)]],
                     fields=["user_id", "team_id"], limit=1)
    count = admin("curator.transfer", "search_count", [[]])
    for options in ({}, {"team_id": moscow}):
        with pytest.raises(xmlrpc.client.Fault) as error:
            head("curator.transfer.wizard", "transfer_clients",
                 [client["user_id"][0], head.uid], partner_ids=[client["id"]], **options)
        assert "cannot see" in error.value.faultString
    [after] = admin("res.partner", "read", [[client["id"]]], fields=["user_id", "team_id"])
    assert (after["user_id"], after["team_id"]) == (client["user_id"], client["team_id"])
    assert admin("curator.transfer", "search_count", [[]]) == count


def test_administrator_cannot_push_calls(admin):
    count = admin("pbx.call", "search_count", [[]])
    with pytest.raises(xmlrpc.client.Fault) as error:
        admin("pbx.call", "register_calls", [[{"uniqueid": "live.trust.admin", "src": "+74957770000", "dst": "101",
                                               "start": "2026-11-23 09:00:00", "duration": 10, "billsec": 5}]])
    assert "Only the PBX integration user" in error.value.faultString
    assert admin("pbx.call", "search_count", [[]]) == count


def test_head_cannot_force_close_his_own_shift(login):
    head = login("head")
    action = head("work.shift", "action_open_my_shift")
    with pytest.raises(xmlrpc.client.Fault) as error:
        head("work.shift", "action_force_close", [[action["res_id"]], "Going home"])
    assert "their own shift" in error.value.faultString
    [shift] = head("work.shift", "read", [[action["res_id"]]], fields=["state"])
    assert shift["state"] == "open"
