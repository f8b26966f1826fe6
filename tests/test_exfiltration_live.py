"""client_guard_exfiltration on a live server: the marks, the alert and the
block are written in a transaction of their own, so they survive the refused
read (the in-process tests share one cursor and cannot show that)."""

import uuid
import xmlrpc.client

import pytest


@pytest.fixture()
def reader(admin, login):
    """A fresh own-level salesperson with six clients; the own level's
    thresholds lowered to alert above 3 and block above 4 for the test."""
    login_name = f"exfil_{uuid.uuid4().hex[:8]}"
    groups = admin("res.groups", "search", [[("full_name", "in", ["Client Base Visibility / Own clients",
                                                                   "User types / Internal User"])]])
    uid = admin("res.users", "create", [{"name": "Exfiltration live test", "login": login_name,
                                         "password": login_name, "groups_id": [(6, 0, groups)]}])
    clients = admin("res.partner", "create", [[
        {"name": f"Live exfiltration client {i}", "user_id": uid, "phone": f"+7 495 222-33-{i:02d}"}
        for i in range(6)
    ]])
    [own_row] = admin("client_guard.exfiltration.threshold", "search_read",
                      [[("group_id.full_name", "=", "Client Base Visibility / Own clients")]],
                      fields=["alert_count", "block_count"])
    admin("client_guard.exfiltration.threshold", "write", [[own_row["id"]], {"alert_count": 3, "block_count": 4}])
    try:
        yield login(login_name), clients
    finally:
        admin("client_guard.exfiltration.threshold", "write", [[own_row["id"]], {
            "alert_count": own_row["alert_count"], "block_count": own_row["block_count"]}])
        admin("res.partner", "write", [clients, {"user_id": admin.uid}])  # nobody else's clients to hand over
        admin("res.users", "write", [[uid], {"active": False}])


def test_reads_counted_alerted_blocked_released(reader, admin, login):
    rpc, clients = reader
    rows = rpc("res.partner", "search_read", [[("id", "in", clients[:4])]], fields=["name", "phone"])
    assert len(rows) == 4
    alerts = admin("client_guard.exfiltration.alert", "search_read", [[("user_id", "=", rpc.uid)]],
                   fields=["state", "read_count"])
    assert [(a["state"], a["read_count"]) for a in alerts] == [("alerted", 4)]
    with pytest.raises(xmlrpc.client.Fault) as info:
        rpc("res.partner", "read", [clients[4:6]], fields=["name", "phone"])
    assert "security officer" in info.value.faultString
    assert "222-33-05" not in info.value.faultString
    [alert] = admin("client_guard.exfiltration.alert", "search_read", [[("user_id", "=", rpc.uid)]],
                    fields=["state", "read_count"])
    assert (alert["state"], alert["read_count"]) == ("blocked", 6)
    events = admin("client_guard.security.event", "search_read", [[("user_id", "=", rpc.uid)]],
                   fields=["event_type"])
    assert {"read_alert", "read_blocked"} <= {e["event_type"] for e in events}
    # already-read clients are refused too; a salesperson cannot release
    with pytest.raises(xmlrpc.client.Fault):
        rpc("res.partner", "read", [clients[:1]], fields=["phone"])
    with pytest.raises(xmlrpc.client.Fault):
        login("ivan")("client_guard.exfiltration.alert", "action_release", [[alert["id"]]])
    # the officer releases: reads work again, counted from zero
    login("officer")("client_guard.exfiltration.alert", "action_release", [[alert["id"]]])
    rows = rpc("res.partner", "read", [clients[:2]], fields=["phone"])
    assert rows[1]["phone"] == "+7 495 222-33-01"
    marks = admin("client_guard.exfiltration.mark", "search_count", [[("user_id", "=", rpc.uid)]])
    assert marks == 2
