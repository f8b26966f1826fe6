"""Issue 11, write side, on the live demo server over XML-RPC: the guard
cannot be switched off by writing a computed field, granting portal access
keeps a client a client, imports of several clients are mass operations, the
privacy lookup wizard does not show private clients to the administrator."""

import xmlrpc.client

import pytest

ROLES = ["ivan", "maria", "dmitry"]
STORED = ["is_client", "commercial_partner_id", "email_normalized", "phone_sanitized", "user_id", "team_id",
          "active", "name", "phone", "email", "write_date"]


def own_client(rpc):
    ids = rpc("res.partner", "search", [[("user_id", "=", rpc.uid), ("is_client", "=", True),
                                          ("parent_id", "=", False), ("is_private", "=", False)]], limit=1)
    assert ids, f"{rpc.login} curates no client in the demo data"
    return ids[0]


@pytest.mark.parametrize("role", ROLES)
def test_computed_fields_not_writable(login, admin, role):
    rpc = login(role)
    client = own_client(rpc)
    before = admin("res.partner", "read", [[client]], fields=STORED)
    other = admin("res.partner", "search", [[("is_client", "=", False)]], limit=1)[0]
    for vals in ({"is_client": False}, {"commercial_partner_id": other}, {"email_normalized": "x@thief.example"},
                 {"phone_sanitized": "+70000000000"}):
        with pytest.raises(xmlrpc.client.Fault) as error:
            rpc("res.partner", "write", [[client], vals])
        assert "client form" in error.value.faultString
    assert admin("res.partner", "read", [[client]], fields=STORED) == before


def test_load_of_two_clients_refused(login, admin):
    ivan = login("ivan")
    rows = [["Import A", "a@import.example"], ["Import B", "b@import.example"]]
    result = ivan("res.partner", "load", [[], ["name", "email"], rows])  # load is not @api.model: ids first
    assert not result["ids"]
    assert "one client at a time" in result["messages"][0]["message"]
    assert not admin("res.partner", "search", [[("name", "in", ["Import A", "Import B"])]],
                     context={"active_test": False})


def test_portal_access_keeps_a_client(login, admin):
    ivan = login("ivan")
    if not admin("ir.model", "search", [[("model", "=", "portal.wizard")]]):
        pytest.skip("portal is not installed")
    client = ivan("res.partner", "create", [{"name": "Portal customer Ltd", "is_company": True,
                                              "email": "portal.customer@client.example"}])
    wizard = ivan("portal.wizard", "create", [{}], context={"active_ids": [client], "active_model": "res.partner"})
    lines = ivan("portal.wizard.user", "search", [[("wizard_id", "=", wizard), ("partner_id", "=", client)]])
    ivan("portal.wizard.user", "action_grant_access", [lines])
    row = admin("res.partner", "read", [[client]], fields=["is_client", "user_ids"])[0]
    assert row["user_ids"], "the client got a portal user"
    assert row["is_client"]
    olga = login("olga")  # another department, own level
    assert not olga("res.partner", "search", [[("id", "=", client)]])
    with pytest.raises(xmlrpc.client.Fault):
        ivan("res.partner", "write", [[client], {"active": False}])


def test_privacy_lookup_hides_private_clients(login, admin):
    head = login("head")
    private = head("res.partner", "search_read", [[("is_private", "=", True), ("is_company", "=", True)]],
                   fields=["name", "email"], limit=1)[0]
    wizard = admin("privacy.lookup.wizard", "create", [{"name": private["name"], "email": private["email"] or "x@x"}])
    admin("privacy.lookup.wizard", "action_lookup", [[wizard]])
    lines = admin("privacy.lookup.wizard.line", "search_read", [[("wizard_id", "=", wizard)]],
                  fields=["res_model", "res_id", "res_name"])
    assert not [line for line in lines if line["res_model"] == "res.partner" and line["res_id"] == private["id"]]
    assert private["name"] not in str(lines)
