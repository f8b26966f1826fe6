"""What the web client sends for the list and form of clients (Odoo 18,
``benchmarks/webclient_calls.json``): shared by ``locustfile.py`` and
``profile_requests.py``."""

import json
import os

# what the web client's list and form of clients ask for (benchmarks/webclient_calls.json, Odoo 18)
LIST_SPEC = {
    "complete_name": {}, "phone": {}, "mobile": {}, "email": {},
    "user_id": {"fields": {"display_name": {}}}, "team_id": {"fields": {"display_name": {}}},
    "is_private": {}, "activity_ids": {"fields": {}}, "activity_exception_decoration": {},
    "activity_exception_icon": {}, "activity_state": {}, "activity_summary": {}, "activity_type_icon": {},
    "activity_type_id": {"fields": {"display_name": {}}}, "street": {}, "city": {},
    "state_id": {"fields": {"display_name": {}}}, "country_id": {"fields": {"display_name": {}}}, "vat": {},
    "category_id": {"fields": {"display_name": {}, "color": {}}},
}


def _form_spec():
    """The client form's specification as a browser sent it (captured in
    ``benchmarks/webclient_calls.json``); the list spec if that file is absent."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "webclient_calls.json")
    try:
        with open(path, encoding="utf-8") as handle:
            for call in json.load(handle):
                if call.get("path") == "/web/dataset/call_kw/res.partner/web_read":
                    return call["body"]["params"]["kwargs"]["specification"]
    except (OSError, ValueError, KeyError):
        pass
    return LIST_SPEC


FORM_SPEC = _form_spec()
# the list's context, and what the chatter asks for when a client's form opens
LIST_CONTEXT = {"bin_size": True, "res_partner_search_mode": "customer"}
REQUEST_LIST = ["activities", "attachments", "followers", "scheduledMessages", "suggestedRecipients"]
