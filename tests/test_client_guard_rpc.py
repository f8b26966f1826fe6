"""client_guard over XML-RPC, as the demo users of each level would use it."""

import xmlrpc.client

import pytest


def clients_of(rpc, domain=None):
    return rpc("res.partner", "search_read", [[("is_client", "=", True), *(domain or [])]],
               fields=["user_id", "team_id", "is_private"])


def test_own_level_sees_only_own_clients(login):
    ivan = login("ivan")
    rows = clients_of(ivan)
    assert rows
    assert {row["user_id"][0] for row in rows if row["user_id"]} == {ivan.uid}


def test_department_level_sees_department(login, admin):
    maria = login("maria")
    teams = {row["team_id"][0] for row in clients_of(maria) if row["team_id"]}
    moscow = admin("crm.team", "search", [[("name", "=", "Sales Moscow")]])
    assert teams == set(moscow)


def test_lead_generation_reads_extra_departments(login, admin):
    anna = login("anna")
    names = {row["team_id"][1] for row in clients_of(anna) if row["team_id"]}
    assert {"Sales Moscow", "Sales Saint Petersburg", "Lead generation"} <= names


def test_admin_does_not_see_private_clients(admin, login):
    assert not admin("res.partner", "search", [[("is_private", "=", True)]])
    head = login("head")  # trusted on the demo private clients
    private = head("res.partner", "search", [[("is_private", "=", True), ("is_company", "=", True)]])
    assert private
    with pytest.raises(xmlrpc.client.Fault):
        admin("res.partner", "read", [private[:1]], fields=["name"])


def test_export_refused_over_rpc(login):
    ivan = login("ivan")
    ids = ivan("res.partner", "search", [[("is_client", "=", True)]], limit=2)
    with pytest.raises(xmlrpc.client.Fault) as info:
        ivan("res.partner", "export_data", [ids, ["name", "phone"]])
    assert "export" in info.value.faultString.lower()


def test_mass_write_and_delete_refused(login):
    maria = login("maria")
    ids = maria("res.partner", "search", [[("is_client", "=", True), ("is_company", "=", True)]], limit=2)
    before = maria("res.partner", "read", [ids], fields=["comment"])
    with pytest.raises(xmlrpc.client.Fault) as info:
        maria("res.partner", "write", [ids, {"comment": "mass"}])
    assert "one client at a time" in info.value.faultString
    with pytest.raises(xmlrpc.client.Fault):
        maria("res.partner", "unlink", [ids[:1]])
    assert maria("res.partner", "read", [ids], fields=["comment"]) == before


def test_overwrite_refused_fill_allowed(login):
    ivan = login("ivan")
    [client] = ivan("res.partner", "search_read", [[("is_client", "=", True), ("is_company", "=", True),
                                                    ("phone", "!=", False)]], fields=["phone"], limit=1)
    with pytest.raises(xmlrpc.client.Fault):
        ivan("res.partner", "write", [[client["id"]], {"phone": "+7 000 000-00-00"}])
    assert ivan("res.partner", "read", [[client["id"]]], fields=["phone"])[0]["phone"] == client["phone"]
    ivan("res.partner", "write", [[client["id"]], {"website": "https://client.example.ru"}])
    with pytest.raises(xmlrpc.client.Fault):
        ivan("res.partner", "write", [[client["id"]], {"website": "https://other.example.ru"}])
    assert ivan("res.partner", "read", [[client["id"]]], fields=["website"])[0]["website"] == \
        "https://client.example.ru"


def test_curator_change_needs_right(login, admin):
    ivan = login("ivan")
    [client] = ivan("res.partner", "search", [[("is_client", "=", True), ("is_company", "=", True)]], limit=1)
    maria_uid = login("maria").uid
    with pytest.raises(xmlrpc.client.Fault):
        ivan("res.partner", "write", [[client], {"user_id": maria_uid}])
    assert ivan("res.partner", "read", [[client]], fields=["user_id"])[0]["user_id"][0] == ivan.uid
    history = admin("res.partner.curator.history", "search_count", [[("partner_id", "=", client)]])
    assert history >= 1
