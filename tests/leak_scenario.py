"""The scenario of the leak tests: for each role, a client it must not see
(with an opportunity, an unassigned opportunity, a contact, an activity, a
note, an attachment, an image, a follower and a PBX call, all put there by a
user who does see the client) and, for the roles bound by Client Guard's
editing limits, two clients it sees but may only add to.

Built once per test session by the ``leak_scenario`` fixture (conftest.py)
on the live demo database.
"""

import base64
import struct
import uuid
import xmlrpc.client
import zlib
from dataclasses import dataclass, field

import pytest

# role -> visibility level it stands for
ROLES = {"ivan": "own", "maria": "department", "dmitry": "all", "admin": "admin"}
# the roles bound by the append-only limits (the administrator is not)
PROTECTED_ROLES = ("ivan", "maria", "dmitry")



def _png(size=8, rgb=(201, 33, 77)):
    """A small one-colour PNG, a colour no avatar of the demo data has."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PNG = _png()
PARTNER_FIELDS = ["name", "email", "phone", "comment", "user_id", "team_id", "active", "website", "child_ids",
                  "is_private", "category_id"]


@dataclass
class Hidden:
    """A client that ``role`` must not see, and what hangs on it."""

    role: str
    rpc: object  # the role's connection
    reader: object  # a connection that does see the client
    admin: object  # the administrator's connection, to clean up
    id: int
    name: str
    email: str
    phone: str
    curator_uid: int
    partner_model_id: int  # ir.model of res.partner
    contact_id: int
    contact_name: str
    lead_id: int  # the curator's opportunity
    pool_lead_id: int  # an opportunity with no salesperson
    activity_id: int
    message_id: int
    attachment_id: int
    follower_ids: list
    call_id: int
    marker: str  # a word in the note, the activity and the attachment
    secrets: tuple = field(default=())  # strings that must not come back to the role

    def snapshot(self):
        """Everything a change through any path would alter, read by the trusted reader."""
        reader = self.reader
        return {
            "partner": reader("res.partner", "read", [[self.id, self.contact_id]], fields=PARTNER_FIELDS),
            "leads": reader("crm.lead", "search_read", [[("partner_id", "=", self.id)]],
                            fields=["name", "user_id", "active", "partner_id"], order="id"),
            "activities": reader("mail.activity", "search_read",
                                 [[("res_model", "=", "res.partner"), ("res_id", "=", self.id)]],
                                 fields=["summary", "user_id", "date_deadline"], order="id"),
            "messages": reader("mail.message", "search_read",
                               [[("model", "=", "res.partner"), ("res_id", "=", self.id)]],
                               fields=["body"], order="id"),
            "attachments": reader("ir.attachment", "search_read",
                                  [[("res_model", "=", "res.partner"), ("res_id", "=", self.id)]],
                                  fields=["name", "checksum", "res_id"], order="id"),
            "followers": reader("mail.followers", "search_read",
                                [[("res_model", "=", "res.partner"), ("res_id", "=", self.id)]],
                                fields=["partner_id"], order="id"),
            "call": reader("pbx.call", "read", [[self.call_id]], fields=["partner_id", "note", "user_id"]),
        }


@dataclass
class Visible:
    """Two clients that ``role`` sees but may only add to."""

    role: str
    rpc: object
    reader: object
    ids: list
    contact_id: int
    other_uid: int  # another user, to try a curator change
    other_team_id: int

    def snapshot(self):
        return self.reader("res.partner", "read", [[*self.ids, self.contact_id]], fields=PARTNER_FIELDS)


def refused(call, *args, **kwargs):
    """Assert that the server refuses the call (an XML-RPC fault)."""
    with pytest.raises(xmlrpc.client.Fault):
        call(*args, **kwargs)


def refused_or_ignored(call, *args, **kwargs):
    """Assert that the server refuses the call or answers False (Odoo's
    ``message_subscribe`` of oneself to a record one cannot read)."""
    try:
        answer = call(*args, **kwargs)
    except xmlrpc.client.Fault:
        return
    assert answer is False, answer


def assert_no_leak(target, answer):
    """No name, e-mail, phone, contact, note, attachment of ``target`` in ``answer``."""
    text = answer if isinstance(answer, str) else repr(answer)
    for secret in target.secrets:
        assert secret not in text, f"{target.role} got {secret!r} of the hidden client"


def _one(rows, what):
    if not rows:
        raise AssertionError(f"the demo data has no {what}")
    return rows[0]


def _hidden_client(role, rpc, login, admin, taken):
    head = login("head")  # trusted on the demo private clients
    company = [("is_company", "=", True), ("child_ids", "!=", False), ("email", "!=", False),
               ("phone", "!=", False), ("id", "not in", taken)]
    if role == "ivan":  # own level: a client of another curator of his own department
        reader = admin
        domain = [*company, ("is_private", "=", False), ("user_id", "=", login("maria").uid)]
    elif role == "maria":  # department level: a client of another department
        reader = admin
        domain = [*company, ("is_private", "=", False), ("team_id.name", "=", "Sales Saint Petersburg"),
                  ("user_id", "!=", rpc.uid)]
    else:  # all level and the administrator: a private client they are not trusted on
        reader = head
        domain = [*company, ("is_private", "=", True), ("user_id", "not in", [rpc.uid, False]),
                  ("trusted_user_ids", "not in", [rpc.uid])]
    row = _one(reader("res.partner", "search_read", [domain], fields=["name", "email", "phone", "user_id"],
                      limit=1, order="id desc" if role == "dmitry" else "id"), f"hidden client for {role}")
    return reader, row


def build_hidden(role, rpc, login, admin, taken, report):
    reader, row = _hidden_client(role, rpc, login, admin, taken)
    pid, curator = row["id"], row["user_id"][0]
    marker = f"leakmarker{uuid.uuid4().hex[:10]}"
    [contact] = reader("res.partner", "search_read", [[("parent_id", "=", pid)]], fields=["name", "email", "mobile"],
                       limit=1)
    leads = reader("crm.lead", "search", [[("partner_id", "=", pid), ("user_id", "=", curator)]], limit=1)
    lead_id = leads[0] if leads else reader("crm.lead", "create", [{
        "name": f"Поставка для {row['name']}", "type": "opportunity", "partner_id": pid, "user_id": curator}])
    pool_lead_id = reader("crm.lead", "create", [{
        "name": f"Заявка {marker}", "type": "opportunity", "partner_id": pid, "user_id": False}])
    partner_model = admin("ir.model", "search", [[("model", "=", "res.partner")]])[0]
    activity_id = reader("mail.activity", "create", [{
        "res_model_id": partner_model, "res_id": pid, "summary": f"Activity {marker}", "user_id": reader.uid}])
    message_id = reader("res.partner", "message_post", [[pid]], body=f"Note {marker}", message_type="comment",
                        subtype_xmlid="mail.mt_note")
    attachment_id = reader("ir.attachment", "create", [{
        "name": f"{marker}.txt", "res_model": "res.partner", "res_id": pid,
        "datas": base64.b64encode(f"contract {marker}".encode()).decode()}])
    reader("res.partner", "message_subscribe", [[pid]], partner_ids=[contact["id"]])
    follower_ids = reader("mail.followers", "search", [[("res_model", "=", "res.partner"), ("res_id", "=", pid)]])
    if not reader("res.partner", "read", [[pid]], fields=["image_1920"])[0]["image_1920"]:
        reader("res.partner", "write", [[pid], {"image_1920": base64.b64encode(PNG).decode()}])
    # a call of the client to its curator, pushed by the PBX user
    extension = admin("res.users", "read", [[curator]], fields=["pbx_extension"])[0]["pbx_extension"]
    [result] = login("pbx")("pbx.call", "register_calls", [[{
        "uniqueid": f"leak.{role}.{marker}", "source": "leak-tests", "src": row["phone"], "dst": extension,
        "start": "2026-11-24 10:00:00", "duration": 60, "billsec": 55, "disposition": "ANSWERED",
        "direction": "inbound"}]])
    assert result["status"] == "created", result
    call = reader("pbx.call", "read", [[result["id"]]], fields=["partner_id"])[0]
    assert call["partner_id"] and call["partner_id"][0] == pid, call
    # the contact's own name is not unique in the demo data (its e-mail and mobile are)
    secrets = tuple(s for s in (row["name"], row["email"], row["phone"], contact["email"], contact["mobile"],
                                marker) if s)
    return Hidden(role=role, rpc=rpc, reader=reader, admin=admin, id=pid, name=row["name"], email=row["email"],
                  phone=row["phone"], curator_uid=curator, partner_model_id=partner_model, contact_id=contact["id"],
                  contact_name=contact["name"],
                  lead_id=lead_id, pool_lead_id=pool_lead_id, activity_id=activity_id, message_id=message_id,
                  attachment_id=attachment_id, follower_ids=follower_ids, call_id=result["id"], marker=marker,
                  secrets=secrets)


def build_visible(role, rpc, login, admin):
    company = [("is_company", "=", True), ("is_private", "=", False), ("phone", "!=", False),
               ("email", "!=", False), ("child_ids", "!=", False)]
    if role == "ivan":  # his own clients
        domain = [*company, ("user_id", "=", rpc.uid)]
    elif role == "maria":  # clients of her department curated by ivan
        domain = [*company, ("user_id", "=", login("ivan").uid)]
    else:  # dmitry, all level: clients of Moscow
        domain = [*company, ("team_id.name", "=", "Sales Moscow"), ("user_id", "!=", rpc.uid)]
    ids = rpc("res.partner", "search", [domain], limit=2, order="id desc")
    assert len(ids) == 2, f"{role} sees fewer than two clients"
    contact_id = rpc("res.partner", "search", [[("parent_id", "=", ids[0])]], limit=1)[0]
    other_uid = login("olga").uid
    other_team = admin("crm.team", "search", [[("name", "=", "Lead generation")]])[0]
    return Visible(role=role, rpc=rpc, reader=admin, ids=ids, contact_id=contact_id, other_uid=other_uid,
                   other_team_id=other_team)


REPORT_NAME = "leak_tests.partner_card"
REPORT_ARCH = """<t t-name="leak_tests.partner_card">
    <t t-call="web.html_container">
        <t t-foreach="docs" t-as="o">
            <div class="page"><h2 t-out="o.name"/><p t-out="o.email"/><p t-out="o.phone"/></div>
        </t>
    </t>
</t>"""


def ensure_report(admin):
    """A QWeb report on clients (the installed modules print none): name, e-mail, phone."""
    if not admin("ir.actions.report", "search", [[("report_name", "=", REPORT_NAME)]]):
        admin("ir.ui.view", "create", [{"name": "Leak tests: partner card", "type": "qweb", "key": REPORT_NAME,
                                        "arch": REPORT_ARCH}])
        admin("ir.actions.report", "create", [{"name": "Leak tests: partner card", "model": "res.partner",
                                               "report_type": "qweb-html", "report_name": REPORT_NAME}])
    return REPORT_NAME


def build(login, admin):
    report = ensure_report(admin)
    hidden, visible, taken = {}, {}, []
    for role in ROLES:
        rpc = login(role)
        hidden[role] = build_hidden(role, rpc, login, admin, taken, report)
        taken.append(hidden[role].id)
        if role in PROTECTED_ROLES:
            visible[role] = build_visible(role, rpc, login, admin)
    return {"hidden": hidden, "visible": visible, "report": report}
