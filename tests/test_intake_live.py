"""client_guard_intake against the live demo server, over XML-RPC as each
role: a head brings a salesperson's spreadsheet into the base (preview,
confirm, undo) the way an integrator's script would, and names a deputy for
an away curator."""

import base64
import csv
import datetime
import io
import uuid
import xmlrpc.client

import pytest

PRIVATE_SHOWN_AS = "A client already in the base (private)"
LINE_FIELDS = ["row", "name", "state", "action", "match_reason", "match_user_id", "match_private",
               "match_display", "duplicate_row", "message", "result", "result_partner_id"]


def refused(call, *args, **kwargs):
    with pytest.raises(xmlrpc.client.Fault):
        call(*args, **kwargs)


def csv_file(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return base64.b64encode(buffer.getvalue().encode("utf-8")).decode()


@pytest.fixture(scope="module")
def intake_installed(admin):
    if not admin("ir.module.module", "search_count",
                 [[("name", "=", "client_guard_intake"), ("state", "=", "installed")]]):
        pytest.skip("client_guard_intake is not installed")


@pytest.fixture(scope="module")
def scene(login, admin, intake_installed):
    """Ivan's list: a new client, one of his own clients (phone written
    another way), the same new client again, a broken phone, a client of
    Olga's (a conflict) and a private client of Olga's the head cannot see."""
    head, ivan, olga = login("head"), login("ivan"), login("olga")
    tag = uuid.uuid4().hex[:8]
    own = head("res.partner", "search_read",
               [[("user_id", "=", ivan.uid), ("is_company", "=", True), ("is_private", "=", False),
                 ("phone", "!=", False)]], fields=["name", "phone", "email"], limit=1)[0]
    olgas = admin("res.partner", "search_read",
                  [[("user_id", "=", olga.uid), ("is_company", "=", True), ("is_private", "=", False),
                    ("email", "!=", False)]], fields=["name", "email", "team_id"], limit=1)[0]
    # a private client of Olga's trusted to nobody: neither the head nor the administrator sees it
    private_email = f"secret-{tag}@intake-live.example"
    private_name = f"Закрытый клиент {tag}"
    private_id = admin("res.partner", "create", [{
        "name": private_name, "is_company": True, "user_id": olga.uid, "team_id": olgas["team_id"][0],
        "is_private": True, "email": private_email}])
    assert not head("res.partner", "search", [[("id", "=", private_id)]]), "the head must not see it"
    digits = "".join(ch for ch in own["phone"] if ch.isdigit())
    rows = [
        ["Наименование", "Телефон", "Почта", "Контактное лицо", "Город"],
        [f"Новый клиент {tag}", "", f"new-{tag}@intake-live.example", "Анна Белова", "Тверь"],  # 2 new
        # 3 Ivan's own client, by phone written another way (international: the demo company has no
        # Russian address, so a local 8-number would be read in the company's country)
        [f"Ivan's client again {tag}", f"+{digits[0]} ({digits[1:4]}) {digits[4:7]}-{digits[7:9]}-{digits[9:]}",
         "", "", ""],
        [f"НОВЫЙ КЛИЕНТ {tag}", "", "", "", ""],  # 4 repeats row 2 by name
        [f"Broken {tag}", "12", "", "", ""],  # 5 error
        [f"Olga's client {tag}", "", olgas["email"].upper(), "", ""],  # 6 Olga's client: a conflict
        [f"Somebody {tag}", "", private_email, "", ""],  # 7 the private client
    ]
    return {"head": head, "ivan": ivan, "olga": olga, "tag": tag, "own": own, "olgas": olgas, "rows": rows,
            "private_id": private_id, "private_name": private_name, "private_email": private_email}


def lines_of(rpc, intake_id):
    lines = rpc("client_guard.intake.line", "search_read", [[("intake_id", "=", intake_id)]],
                fields=LINE_FIELDS, order="row")
    return {line["row"]: line for line in lines}


def test_head_imports_a_list_over_rpc(scene, login, admin):
    head, ivan, tag = scene["head"], scene["ivan"], scene["tag"]
    intake_id = head("client_guard.intake", "create", [{
        "file": csv_file(scene["rows"]), "file_name": f"ivan-{tag}.csv", "owner_id": ivan.uid}])
    head("client_guard.intake", "action_preview", [[intake_id]])
    lines = lines_of(head, intake_id)
    assert {row: line["state"] for row, line in lines.items()} == {
        2: "new", 3: "match", 4: "duplicate_in_file", 5: "error", 6: "match", 7: "match"}
    assert (lines[3]["match_reason"], lines[3]["action"]) == ("phone", "complete")
    assert lines[3]["match_display"].startswith(scene["own"]["name"])
    assert lines[4]["duplicate_row"] == 2
    assert "12" in lines[5]["message"]
    assert (lines[6]["match_reason"], lines[6]["action"]) == ("email", "conflict")
    assert lines[6]["match_user_id"][0] == scene["olga"].uid
    # the private client: matched, but neither its name nor its curator is shown
    private = lines[7]
    assert (private["state"], private["match_private"], private["action"]) == ("match", True, "conflict")
    assert private["match_display"] == PRIVATE_SHOWN_AS
    assert private["match_user_id"] is False
    assert scene["private_name"] not in str(lines)
    refused(head, "client_guard.intake.line", "read", [[private["id"]]], fields=["partner_id"])
    # nothing written before the confirmation
    assert not admin("res.partner", "search", [[("name", "=", f"Новый клиент {tag}")]])

    # a salesperson can neither run an intake nor change one; nothing changes
    for name in ("ivan", "maria", "olga"):
        salesperson = login(name)
        refused(salesperson, "client_guard.intake", "create", [{
            "file": csv_file(scene["rows"]), "file_name": "mine.csv", "owner_id": salesperson.uid}])
        refused(salesperson, "client_guard.intake", "action_preview", [[intake_id]])
        refused(salesperson, "client_guard.intake", "action_confirm", [[intake_id]])
        refused(salesperson, "client_guard.intake.line", "write", [[lines[2]["id"]], {"action": "skip"}])
    assert head("client_guard.intake", "read", [[intake_id]], fields=["state"])[0]["state"] == "preview"
    assert lines_of(head, intake_id) == lines
    assert admin("client_guard.intake", "search_count", [[("file_name", "=", "mine.csv")]]) == 0

    # the head skips the private client and imports the rest
    head("client_guard.intake.line", "write", [[private["id"]], {"action": "skip"}])
    head("client_guard.intake", "action_confirm", [[intake_id]])
    intake = head("client_guard.intake", "read", [[intake_id]],
                  fields=["state", "confirm_user_id", "new_count", "conflict_count"])[0]
    assert (intake["state"], intake["confirm_user_id"][0]) == ("done", head.uid)
    lines = lines_of(head, intake_id)
    assert {row: line["result"] for row, line in lines.items()} == {
        2: "created", 3: "unchanged", 4: "skipped", 5: "skipped", 6: "conflict", 7: "skipped"}
    new_id = lines[2]["result_partner_id"][0]
    new = ivan("res.partner", "read", [[new_id]], fields=["name", "user_id", "child_ids", "city"])[0]
    assert (new["name"], new["user_id"][0], new["city"]) == (f"Новый клиент {tag}", ivan.uid, "Тверь")
    assert len(new["child_ids"]) == 1, "the contact person is created with the client"
    history = ivan("res.partner.curator.history", "search_read", [[("partner_id", "=", new_id)]],
                   fields=["user_id"])
    assert [h["user_id"][0] for h in history] == [ivan.uid]
    # Olga keeps her client until the head decides; the head has an activity for it
    assert admin("res.partner", "read", [[scene["olgas"]["id"]]], fields=["user_id"])[0]["user_id"][0] == \
        scene["olga"].uid
    assert head("client_guard.intake.line", "search_count",
                [[("intake_id", "=", intake_id), ("conflict_decision", "=", "pending")]]) == 1
    assert head("mail.activity", "search_count",
                [[("res_model", "=", "client_guard.intake"), ("res_id", "=", intake_id),
                  ("user_id", "=", head.uid)]]) == 1
    # the private client is untouched
    private_after = scene["olga"]("res.partner", "read", [[scene["private_id"]]], fields=["user_id", "email"])[0]
    assert (private_after["user_id"][0], private_after["email"]) == (scene["olga"].uid, scene["private_email"])

    # undo: the created client goes, the intake says so; a second undo is refused
    refused(ivan, "client_guard.intake", "action_revert", [[intake_id]])
    head("client_guard.intake", "action_revert", [[intake_id]])
    intake = head("client_guard.intake", "read", [[intake_id]], fields=["state", "revert_user_id"])[0]
    assert (intake["state"], intake["revert_user_id"][0]) == ("reverted", head.uid)
    assert not admin("res.partner", "search", [[("id", "=", new_id)]], context={"active_test": False})
    refused(head, "client_guard.intake", "action_revert", [[intake_id]])


# ----------------------------------------------------------------------
# Deputies
# ----------------------------------------------------------------------
def visible(rpc, ids):
    return set(rpc("res.partner", "search", [[("id", "in", ids)]]))


def test_deputy_over_rpc_as_each_role(login, admin, intake_installed):
    head, ivan, maria, olga = login("head"), login("ivan"), login("maria"), login("olga")
    today = datetime.date.today()
    clients = head("res.partner", "search", [[("user_id", "=", ivan.uid), ("is_company", "=", True)]])
    assert clients
    activities = head("mail.activity", "search", [[("res_model", "=", "res.partner"), ("res_id", "in", clients),
                                                  ("user_id", "=", ivan.uid)]])
    assert not visible(olga, clients), "Olga (Saint Petersburg, own clients) does not see Ivan's"
    values = {"curator_id": ivan.uid, "deputy_id": olga.uid, "date_from": str(today),
              "date_to": str(today + datetime.timedelta(days=5)), "reason": "Отпуск (live test)"}
    before = admin("curator.deputy", "search_count", [[]])
    # salespeople cannot name deputies (the company does not let curators do it in the demo)
    for salesperson in (ivan, maria, olga):
        refused(salesperson, "curator.deputy", "create", [values])
    assert admin("curator.deputy", "search_count", [[]]) == before
    period_id = head("curator.deputy", "create", [values])
    try:
        period = head("curator.deputy", "read", [[period_id]], fields=["state", "activity_count"])[0]
        assert period["state"] == "active", "a period that starts today starts at once"
        # Ivan's open activities on his clients, and those of his opportunities
        assert period["activity_count"] >= len(activities)
        # during the period Olga sees and works with Ivan's clients and his open activities
        assert visible(olga, clients) == set(clients)
        assert olga("res.partner", "read", [[clients[0]]], fields=["name"])
        if activities:
            assert set(olga("mail.activity", "search", [[("id", "in", activities)]])) == set(activities)
            assigned = head("mail.activity", "read", [activities], fields=["user_id"])
            assert {a["user_id"][0] for a in assigned} == {olga.uid}
        # the period is seen by the curator and the deputy, not by a colleague
        assert ivan("curator.deputy", "search", [[("id", "=", period_id)]]) == [period_id]
        assert olga("curator.deputy", "search", [[("id", "=", period_id)]]) == [period_id]
        assert maria("curator.deputy", "search", [[("id", "=", period_id)]]) == []
        # neither the deputy nor the curator ends it; the head does
        refused(olga, "curator.deputy", "action_end", [[period_id]])
        refused(ivan, "curator.deputy", "write", [[period_id], {"date_to": str(today)}])
        history = head("res.partner.curator.history", "search_read",
                       [[("partner_id", "=", clients[0]), ("deputy_period_id", "=", period_id)]],
                       fields=["user_id", "kind"])
        assert [(h["user_id"][0], h["kind"]) for h in history] == [(olga.uid, "deputy")]
    finally:
        head("curator.deputy", "action_end", [[period_id]])
    period = head("curator.deputy", "read", [[period_id]], fields=["state"])[0]
    assert period["state"] == "done"
    # after the period: Olga sees none of them again, the activities are Ivan's again
    assert not visible(olga, clients)
    refused(olga, "res.partner", "read", [[clients[0]]], fields=["name"])
    if activities:
        assigned = head("mail.activity", "read", [activities], fields=["user_id"])
        assert {a["user_id"][0] for a in assigned} == {ivan.uid}
    assert ivan("res.partner", "search_count", [[("id", "in", clients)]]) == len(clients)
