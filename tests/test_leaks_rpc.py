"""Leak tests over XML-RPC: each role (own, department, all, administrator
without trust) reaches for a client it must not see through every path we
know, and tries to change it; then tries to overwrite, delete, archive,
re-assign and mass-edit clients it does see but may only add to.

Each attempt asserts that no data of the client came back (its name,
e-mail, phone, contact, note, attachment) and, for the changes, that a
trusted reader finds everything as it was.
"""

import xmlrpc.client

import pytest
from leak_scenario import PROTECTED_ROLES, ROLES, assert_no_leak, refused, refused_or_ignored

# ----------------------------------------------------------------------
# Reading the client
# ----------------------------------------------------------------------


def read_partner(t):
    refused(t.rpc, "res.partner", "read", [[t.id]], fields=["name"])
    refused(t.rpc, "res.partner", "read", [[t.contact_id]], fields=["name"])


def web_read(t):
    refused(t.rpc, "res.partner", "web_read", [[t.id]], specification={"name": {}, "email": {}})


def search_read(t):
    for domain in ([("id", "=", t.id)], [("name", "=", t.name)], [("email", "=", t.email)],
                   [("phone", "=", t.phone)], [("id", "=", t.contact_id)]):
        answer = t.rpc("res.partner", "search_read", [domain], fields=["name", "email", "phone"])
        assert not answer
        assert_no_leak(t, answer)


def search_count(t):
    assert not t.rpc("res.partner", "search", [[("id", "in", [t.id, t.contact_id])]])
    assert not t.rpc("res.partner", "search", [[("name", "ilike", t.name)]])
    assert t.rpc("res.partner", "search_count", [[("id", "in", [t.id, t.contact_id])]]) == 0
    assert t.rpc("res.partner", "search_count", [[("email", "=", t.email)]]) == 0


def web_search_read(t):
    answer = t.rpc("res.partner", "web_search_read", [[("id", "in", [t.id, t.contact_id])]],
                   specification={"name": {}, "email": {}, "phone": {}})
    assert answer["length"] == 0 and not answer["records"]
    answer = t.rpc("res.partner", "web_search_read", [[("name", "ilike", t.name)]], specification={"name": {}})
    assert_no_leak(t, answer)


def read_group(t):
    answer = t.rpc("res.partner", "read_group", [[("id", "=", t.id)], ["name"], ["name"]])
    assert not answer
    answer = t.rpc("res.partner", "read_group", [[], ["email"], ["email"]], lazy=False, limit=1000)
    assert_no_leak(t, answer)


def web_read_group(t):
    answer = t.rpc("res.partner", "web_read_group", [[("id", "=", t.id)], ["name"], ["name"]])
    assert not answer["groups"]
    answer = t.rpc("res.partner", "web_read_group", [[("parent_id", "!=", False)], ["parent_id"], ["parent_id"]],
                   limit=1000)
    assert_no_leak(t, answer)


def name_search(t):
    for term in (t.name, t.contact_name, t.email):
        answer = t.rpc("res.partner", "name_search", [term], limit=100)
        assert all(row[0] not in (t.id, t.contact_id) for row in answer)
        assert_no_leak(t, answer)  # nor a contact's "Company, Name"


def export_data(t):
    refused(t.rpc, "res.partner", "export_data", [[t.id], ["name", "email", "phone"]])
    refused(t.rpc, "res.partner", "export_data", [[t.contact_id], ["name", "parent_id/name"]])


def copy(t):
    before = t.reader("res.partner", "search_count", [[("name", "ilike", t.name)]])
    refused(t.rpc, "res.partner", "copy", [[t.id]])
    assert t.reader("res.partner", "search_count", [[("name", "ilike", t.name)]]) == before


def child_contacts(t):
    answer = t.rpc("res.partner", "search_read", [[("parent_id", "=", t.id)]], fields=["name", "parent_id"])
    assert not answer
    answer = t.rpc("res.partner", "search_read", [[("commercial_partner_id", "=", t.id)]], fields=["name"])
    assert not answer
    answer = t.rpc("res.partner", "search_read", [[("parent_id.name", "=", t.name)]], fields=["name"])
    assert not answer


def mention_suggestions(t):
    for term in (t.name, t.contact_name, t.email):
        answer = t.rpc("res.partner", "get_mention_suggestions", [term], limit=8)
        assert_no_leak(t, answer)


def opportunities(t):
    for lead in (t.lead_id, t.pool_lead_id):
        refused(t.rpc, "crm.lead", "read", [[lead]], fields=["name", "partner_id", "email_from", "phone"])
    fields = ["name", "partner_id", "partner_name", "contact_name", "email_from", "phone"]
    for domain in ([("partner_id", "=", t.id)], [("id", "in", [t.lead_id, t.pool_lead_id])],
                   [("email_from", "=", t.email)], [("partner_id.name", "=", t.name)],
                   [("name", "ilike", t.marker)]):
        answer = t.rpc("crm.lead", "search_read", [domain], fields=fields)
        assert not answer
    answer = t.rpc("crm.lead", "web_search_read", [[]], specification={f: {} for f in fields}, limit=500)
    assert_no_leak(t, answer)
    answer = t.rpc("crm.lead", "read_group", [[], ["partner_id"], ["partner_id"]], lazy=False)
    assert_no_leak(t, answer)
    answer = t.rpc("crm.lead", "name_search", [t.name], limit=100)
    assert_no_leak(t, answer)


def activities(t):
    refused(t.rpc, "mail.activity", "read", [[t.activity_id]], fields=["summary", "res_name"])
    answer = t.rpc("mail.activity", "search_read", [[("res_model", "=", "res.partner"), ("res_id", "=", t.id)]],
                   fields=["summary", "res_name"])
    assert not answer
    answer = t.rpc("mail.activity", "search_read", [[("summary", "ilike", t.marker)]], fields=["res_name"])
    assert not answer


def calls(t):
    refused(t.rpc, "pbx.call", "read", [[t.call_id]], fields=["partner_id", "src"])
    for domain in ([("partner_id", "=", t.id)], [("id", "=", t.call_id)], [("src", "=", t.phone)]):
        assert not t.rpc("pbx.call", "search_read", [domain], fields=["partner_id", "src"])
    answer = t.rpc("pbx.call", "read_group", [[], ["partner_id"], ["partner_id"]], lazy=False)
    assert_no_leak(t, answer)


def followers(t):
    answer = t.rpc("mail.followers", "search_read", [[("res_model", "=", "res.partner"), ("res_id", "=", t.id)]],
                   fields=["partner_id", "name", "email"])
    assert not answer
    answer = t.rpc("mail.followers", "search_read", [[("partner_id", "=", t.contact_id)]],
                   fields=["partner_id", "name", "email", "res_id"])
    assert_no_leak(t, answer)
    try:
        answer = t.rpc("mail.followers", "read", [t.follower_ids], fields=["partner_id", "name", "email"])
    except xmlrpc.client.Fault:
        answer = None
    assert_no_leak(t, answer)


def messages(t):
    refused(t.rpc, "mail.message", "read", [[t.message_id]], fields=["body", "record_name"])
    answer = t.rpc("mail.message", "search_read",
                   [[("model", "=", "res.partner"), ("res_id", "=", t.id),
                     ("message_type", "!=", "user_notification")]], fields=["body", "record_name"])
    assert not answer
    answer = t.rpc("mail.message", "search_read", [[("body", "ilike", t.marker)]], fields=["body"])
    assert not answer


def attachments(t):
    refused(t.rpc, "ir.attachment", "read", [[t.attachment_id]], fields=["name", "datas"])
    for domain in ([("res_model", "=", "res.partner"), ("res_id", "=", t.id)], [("name", "ilike", t.marker)],
                   [("id", "=", t.attachment_id)]):
        assert not t.rpc("ir.attachment", "search_read", [domain], fields=["name", "datas"])


def curator_history(t):
    assert not t.rpc("res.partner.curator.history", "search_read", [[("partner_id", "=", t.id)]],
                     fields=["user_id", "partner_id"])


def views_helpers(t):
    """What the list, kanban and activity views ask besides the records:
    search panels, progress bars, the activity view's data."""
    for model, fname in (("res.partner", "parent_id"), ("crm.lead", "partner_id"), ("pbx.call", "partner_id")):
        answer = t.rpc(model, "search_panel_select_multi_range", [fname], limit=2000, enable_counters=True)
        assert_no_leak(t, answer)
    answer = t.rpc("res.partner", "search_panel_select_range", ["parent_id"], limit=2000)
    assert_no_leak(t, answer)
    answer = t.rpc("crm.lead", "read_progress_bar", [[], "partner_id",
                                                     {"field": "activity_state", "colors": {"overdue": "danger"}}])
    assert all(str(key) != str(t.id) for key in answer)
    answer = t.rpc("mail.activity", "get_activity_data", ["res.partner", [("id", "in", [t.id, t.contact_id])]])
    assert not answer["activity_res_ids"]
    assert_no_leak(t, answer)


def related_fields(t):
    """Fields of other models that point at the client: the role's own
    records must not carry the client's name, e-mail or phone out."""
    answer = t.rpc("crm.lead", "search_read", [[]], fields=["partner_id", "partner_name", "email_from", "phone"],
                   limit=500)
    assert_no_leak(t, answer)
    answer = t.rpc("pbx.call", "search_read", [[]], fields=["partner_id", "src", "dst", "clid"], limit=500)
    assert_no_leak(t, answer)
    answer = t.rpc("mail.activity", "search_read", [[]], fields=["res_name", "summary"], limit=500)
    assert_no_leak(t, answer)
    answer = t.rpc("res.partner", "search_read", [[("parent_id", "!=", False)]],
                   fields=["parent_id", "commercial_partner_id", "parent_name"], limit=1000)
    assert_no_leak(t, answer)


READ_PATHS = {
    "read": read_partner,
    "web_read": web_read,
    "search_read": search_read,
    "search/search_count": search_count,
    "web_search_read": web_search_read,
    "read_group": read_group,
    "web_read_group": web_read_group,
    "name_search": name_search,
    "export_data": export_data,
    "copy": copy,
    "child contacts": child_contacts,
    "mention suggestions": mention_suggestions,
    "crm.lead": opportunities,
    "mail.activity": activities,
    "pbx.call": calls,
    "mail.followers": followers,
    "mail.message": messages,
    "ir.attachment": attachments,
    "curator history": curator_history,
    "search panels, progress bars, activity view": views_helpers,
    "related fields": related_fields,
}


@pytest.mark.parametrize("path", list(READ_PATHS))
@pytest.mark.parametrize("role", list(ROLES))
def test_hidden_client_not_readable(leak_scenario, role, path):
    READ_PATHS[path](leak_scenario["hidden"][role])


# ----------------------------------------------------------------------
# Changing the client it does not see
# ----------------------------------------------------------------------


def change_partner(t):
    refused(t.rpc, "res.partner", "write", [[t.id], {"comment": "leak"}])
    refused(t.rpc, "res.partner", "write", [[t.contact_id], {"email": "leak@example.com"}])
    refused(t.rpc, "res.partner", "write", [[t.id], {"user_id": t.rpc.uid}])
    refused(t.rpc, "res.partner", "write", [[t.id], {"active": False}])
    refused(t.rpc, "res.partner", "unlink", [[t.id]])
    refused(t.rpc, "res.partner", "unlink", [[t.contact_id]])
    refused(t.rpc, "res.partner", "create", [{"name": "Leak contact", "parent_id": t.id}])


def change_chatter(t):
    refused(t.rpc, "res.partner", "message_post", [[t.id]], body="leak")
    own_partner = t.rpc("res.users", "read", [[t.rpc.uid]], fields=["partner_id"])[0]["partner_id"][0]
    refused_or_ignored(t.rpc, "res.partner", "message_subscribe", [[t.id]], partner_ids=[own_partner])
    refused(t.rpc, "res.partner", "message_subscribe", [[t.id]], partner_ids=[own_partner, t.contact_id])
    refused(t.rpc, "mail.followers", "create", [{"res_model": "res.partner", "res_id": t.id,
                                                 "partner_id": own_partner}])
    refused(t.rpc, "mail.message", "write", [[t.message_id], {"body": "leak"}])
    refused(t.rpc, "mail.message", "unlink", [[t.message_id]])
    refused(t.rpc, "mail.followers", "unlink", [t.follower_ids])


def change_opportunity(t):
    for lead in (t.lead_id, t.pool_lead_id):
        refused(t.rpc, "crm.lead", "write", [[lead], {"name": "leak", "user_id": t.rpc.uid}])
        refused(t.rpc, "crm.lead", "unlink", [[lead]])
        refused(t.rpc, "crm.lead", "action_set_lost", [[lead]])
    # an opportunity of one's own pointing at the client would show its name
    refused(t.rpc, "crm.lead", "create", [{"name": "leak", "type": "opportunity", "partner_id": t.id,
                                           "user_id": t.rpc.uid}])


def change_activity(t):
    refused(t.rpc, "mail.activity", "write", [[t.activity_id], {"summary": "leak"}])
    refused(t.rpc, "mail.activity", "action_feedback", [[t.activity_id]], feedback="leak")
    refused(t.rpc, "mail.activity", "unlink", [[t.activity_id]])
    refused(t.rpc, "mail.activity", "create", [{"res_model_id": t.partner_model_id, "res_id": t.id, "summary": "leak",
                                                "user_id": t.rpc.uid}])


def change_attachment(t):
    refused(t.rpc, "ir.attachment", "write", [[t.attachment_id], {"name": "leak.txt"}])
    refused(t.rpc, "ir.attachment", "unlink", [[t.attachment_id]])
    refused(t.rpc, "ir.attachment", "create", [{"name": "leak.txt", "res_model": "res.partner", "res_id": t.id,
                                                "datas": "bGVhaw=="}])


def change_call(t):
    refused(t.rpc, "pbx.call", "write", [[t.call_id], {"note": "leak"}])
    refused(t.rpc, "pbx.call", "unlink", [[t.call_id]])


WRITE_PATHS = {
    "res.partner write/unlink/archive/curator/contact": change_partner,
    "message_post/subscribe/message/follower": change_chatter,
    "crm.lead write/unlink/lost/create": change_opportunity,
    "mail.activity write/done/unlink/create": change_activity,
    "ir.attachment write/unlink/create": change_attachment,
    "pbx.call write/unlink": change_call,
}


@pytest.mark.parametrize("path", list(WRITE_PATHS))
@pytest.mark.parametrize("role", list(ROLES))
def test_hidden_client_not_changed(leak_scenario, role, path):
    target = leak_scenario["hidden"][role]
    before = target.snapshot()
    WRITE_PATHS[path](target)
    assert target.snapshot() == before


# ----------------------------------------------------------------------
# Clients the role sees: add, never overwrite, delete, hand over or mass-edit
# ----------------------------------------------------------------------


def overwrite_filled_field(v):
    refused(v.rpc, "res.partner", "write", [[v.ids[0]], {"phone": "+7 000 000-00-00"}])
    refused(v.rpc, "res.partner", "write", [[v.ids[0]], {"email": False}])
    refused(v.rpc, "res.partner", "write", [[v.contact_id], {"name": "Overwritten"}])


def unlink(v):
    refused(v.rpc, "res.partner", "unlink", [[v.ids[0]]])
    refused(v.rpc, "res.partner", "unlink", [[v.contact_id]])
    refused(v.rpc, "res.partner", "write", [[v.ids[0]], {"child_ids": [(2, v.contact_id)]}])


def archive(v):
    refused(v.rpc, "res.partner", "write", [[v.ids[0]], {"active": False}])
    refused(v.rpc, "res.partner", "action_archive", [[v.ids[0]]])


def change_curator(v):
    refused(v.rpc, "res.partner", "write", [[v.ids[0]], {"user_id": v.other_uid}])
    refused(v.rpc, "res.partner", "write", [[v.ids[0]], {"team_id": v.other_team_id}])
    refused(v.rpc, "res.partner", "write", [[v.contact_id], {"user_id": v.other_uid}])
    refused(v.rpc, "res.partner", "write", [[v.ids[0]], {"is_private": True}])


def mass_write(v):
    refused(v.rpc, "res.partner", "write", [v.ids, {"comment": "mass"}])
    refused(v.rpc, "res.partner", "write", [v.ids, {"website": "https://mass.example.ru"}])
    refused(v.rpc, "res.partner", "unlink", [v.ids])
    refused(v.rpc, "res.partner", "action_archive", [v.ids])


def export_visible(v):
    refused(v.rpc, "res.partner", "export_data", [v.ids, ["name", "phone", "email"]])


CHANGE_PATHS = {
    "overwrite a filled field": overwrite_filled_field,
    "unlink": unlink,
    "archive": archive,
    "change curator/department": change_curator,
    "mass write on 2 clients": mass_write,
    "export_data": export_visible,
}


@pytest.mark.parametrize("path", list(CHANGE_PATHS))
@pytest.mark.parametrize("role", list(PROTECTED_ROLES))
def test_visible_client_append_only(leak_scenario, role, path):
    target = leak_scenario["visible"][role]
    before = target.snapshot()
    CHANGE_PATHS[path](target)
    assert target.snapshot() == before
