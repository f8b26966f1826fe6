import json
import logging
import math
import re
import xmlrpc.client
from datetime import datetime, timedelta, timezone

import psycopg2.errors
import psycopg2.extras
import pytz
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.client_guard.server_flags import server_flags

from ..note_text import visible_text
from ..phone_formats import phone_formats

_logger = logging.getLogger(__name__)

DISPOSITIONS = [
    ("ANSWERED", "Answered"),
    ("NO ANSWER", "No answer"),
    ("BUSY", "Busy"),
    ("FAILED", "Failed"),
    ("CONGESTION", "Congestion"),
]
CDR_FIELDS = ("uniqueid", "source", "src", "dst", "clid", "start", "answer", "end", "duration", "billsec",
              "disposition", "channel", "dstchannel", "accountcode", "userfield", "direction", "extension",
              "recording_url")
# fields the integration reports; employees may only add a note and a reason
INTEGRATION_FIELDS = set(CDR_FIELDS) | {"user_id", "partner_id", "team_id", "phone_normalized", "lead_id"}
EMPLOYEE_FIELDS = {"note", "reason_id"}
MAX_DURATION = 7 * 24 * 3600
MAX_BATCH = 1000
MAX_TEXT = 4096
EARLIEST_CALL = datetime(2000, 1, 1)
TEXT_FIELDS = ("uniqueid", "source", "src", "dst", "clid", "disposition", "channel", "dstchannel", "accountcode",
               "userfield", "direction", "extension", "recording_url")
# PBXes send these as numbers now and then
NUMBER_LIKE_FIELDS = {"uniqueid", "src", "dst", "extension", "accountcode"}
# XML 1.0 disallows control characters (as Odoo's XML-RPC marshaller)
CONTROL_CHARACTERS = dict.fromkeys(set(range(32)) - {9, 10, 13})
EXTENSION_RE = re.compile(r"^\d{2,6}$")
CHANNEL_RE = re.compile(r"^(?:SIP|PJSIP|IAX2|Local)/(\d{2,6})\b", re.IGNORECASE)
CLID_NAME_RE = re.compile(r'^\s*"?([^"<]*?)"?\s*<[^>]*>\s*$')
# context marker of values validated and completed by _prepare: only register_calls can set it
# (an object, so that no caller can send it over RPC), and only then does create() insert fast
PREPARED = object()


class PbxCall(models.Model):
    _name = "pbx.call"
    _description = "Phone Call"
    _order = "start desc, id desc"
    _rec_name = "external_number"

    uniqueid = fields.Char(string="Unique ID", required=True, readonly=True)
    source = fields.Char(string="PBX", required=True, default="default", readonly=True,
                         help="Name of the PBX that reported the call; with the unique ID, the idempotency key.")
    src = fields.Char(string="Caller Number", readonly=True)
    dst = fields.Char(string="Called Number", readonly=True)
    clid = fields.Char(string="Caller ID", readonly=True)
    start = fields.Datetime(readonly=True, index=True)
    answer = fields.Datetime(string="Answered At", readonly=True)
    end = fields.Datetime(string="Ended At", readonly=True)
    duration = fields.Integer(readonly=True, help="Seconds from start to end.")
    billsec = fields.Integer(string="Talk Time", readonly=True, help="Seconds from answer to end.")
    disposition = fields.Selection(DISPOSITIONS, readonly=True)
    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound"), ("internal", "Internal")], readonly=True)
    channel = fields.Char(readonly=True)
    dstchannel = fields.Char(string="Destination Channel", readonly=True)
    accountcode = fields.Char(string="Account Code", readonly=True)
    userfield = fields.Char(string="User Field", readonly=True)
    extension = fields.Char(readonly=True)
    recording_url = fields.Char(string="Recording", readonly=True, groups="pbx_call_capture.group_listen_recordings")
    external_number = fields.Char(string="Number", readonly=True)
    phone_normalized = fields.Char(string="Normalized Number", readonly=True, index=True,
                                   help="The external number in E.164.")
    user_id = fields.Many2one("res.users", string="Employee", readonly=True, index=True, ondelete="set null")
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True, index=True, ondelete="set null")
    team_id = fields.Many2one("crm.team", string="Department", readonly=True, index=True, ondelete="set null")
    lead_id = fields.Many2one("crm.lead", readonly=True, ondelete="set null")
    note = fields.Text()
    reason_id = fields.Many2one("pbx.call.reason", string="Call Reason")
    is_missed = fields.Boolean(string="Missed", readonly=True)
    called_back = fields.Boolean(readonly=True)
    has_note = fields.Boolean(compute="_compute_has_note", store=True)
    partner_created = fields.Boolean(string="New Client from this Call", readonly=True)

    _sql_constraints = [
        # also the index of the idempotency look-up (uniqueid first: the more selective column)
        ("uniqueid_source_uniq", "unique (uniqueid, source)", "A call is stored once per PBX and unique ID."),
    ]

    @api.depends("note")
    def _compute_has_note(self):
        for call in self:
            call.has_note = bool(visible_text(call.note))  # zero-width characters are no note

    @api.depends("external_number", "direction", "start")
    @api.depends_context("lang")
    def _compute_display_name(self):
        directions = dict(self._fields["direction"]._description_selection(self.env))
        for call in self:
            number = call.external_number or call.src or ""
            call.display_name = f"{number} ({directions.get(call.direction, '')})" if call.direction else number

    @api.model
    def _pbx_country(self):
        """The country of local numbers: the company's, else Russia (cached look-up, no query per call)."""
        company = self.env.company
        # the company's address is its partner's when that partner is a contact (res.company's
        # _compute_address: address_get stops at it), read without computing the company's address
        # fields each request
        country = company.partner_id.country_id if company.partner_id.type == "contact" else company.country_id
        if country:
            return country
        return self.env["res.country"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id("base.ru", raise_if_not_found=False))

    # ------------------------------------------------------------------
    # The one way in: create()
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        """The only way a call is created, also for the PBX's batches: extensions
        override create() once and see every call. register_calls passes values
        it validated itself (context marker ``PREPARED``); those are inserted in
        one statement instead of going through the ORM's per-record machinery."""
        if self.env.context.get("pbx_prepared_values") is PREPARED:
            return self.with_context(pbx_prepared_values=None)._insert_calls(vals_list)
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Protection: append a note, nothing else; delete with a trace
    # ------------------------------------------------------------------
    def _is_integration(self):
        return self.env.su or self.env.user.has_group("pbx_call_capture.group_pbx_integration")

    def write(self, vals):
        if not self._is_integration():
            forbidden = set(vals) - EMPLOYEE_FIELDS
            if forbidden:
                raise UserError(_(
                    "Numbers, times, duration and employee of a call are set by the PBX and cannot be changed "
                    "(%s).",
                    ", ".join(sorted(self._client_guard_field_label(f) for f in forbidden if f in self._fields))))
            if not self.env.user.has_group("pbx_call_capture.group_call_admin"):
                others = self.filtered(lambda c: c.user_id != self.env.user)
                if others:
                    raise UserError(_("You can add notes only to your own calls."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su and not self.env.user.has_group("pbx_call_capture.group_call_admin"):
            raise AccessError(_("Only a call administrator (security officer) can delete calls."))
        self.env["pbx.call.deletion"].sudo().create([
            {
                "call_id": call.id,
                "uniqueid": call.uniqueid,
                "partner_id": call.partner_id.id,
                "user_id": call.user_id.id,
                "start": call.start,
                "external_number": call.external_number,
                "deleted_by_id": self.env.uid,
                "data": json.dumps(call.sudo().read([f for f in CDR_FIELDS if f in self._fields])[0], default=str),
            }
            for call in self
        ])
        return super().unlink()

    # ------------------------------------------------------------------
    # The PBX interface
    # ------------------------------------------------------------------
    @api.model
    def register_calls(self, calls):
        """Store calls reported by the PBX (Asterisk CDR field names).

        :param list calls: dicts with at least ``uniqueid``; see the README.
        :return: one ``{"uniqueid", "status", "id", "error"}`` per call, in
            order; status is created, updated, duplicate or error.
        """
        # the integration only: an administrator who pushes calls would write
        # numbers, times and employees that nobody may change afterwards
        if not self._is_integration():
            raise AccessError(_("Only the PBX integration user can register calls."))
        if not isinstance(calls, list):
            raise UserError(_("register_calls expects a list of calls."))
        if len(calls) > MAX_BATCH:
            raise UserError(_("At most %s calls per request.", MAX_BATCH))
        return self.sudo()._register_calls(calls)

    def _pbx_settings(self):
        ICP = self.env["ir.config_parameter"].sudo()
        # what a request reads of its user, company and company's partner, and only that: reading a field
        # loads every field of the record (about 60 for a partner), a fixed cost of every single-call push
        # (the user's partner: the author of the chatter lines, its time zone the day of the call-backs;
        # the company's: the time zone, the language, the address from which the company's country comes)
        self.env.user.fetch(["company_id", "partner_id", "share"])
        self.env.company.fetch(["partner_id"])
        (self.env.user.partner_id | self.env.company.partner_id).fetch(
            ["tz", "lang", "type", "street", "street2", "city", "zip", "state_id", "country_id"])
        country = self._pbx_country()
        country.fetch(["code"])
        return {
            "tz": ICP.get_param("pbx_call_capture.timezone") or self.env.company.partner_id.tz or "UTC",
            "unknown": ICP.get_param("pbx_call_capture.unknown_caller") or "client",
            "country": country,
        }

    @api.model
    def _shown(self, value, limit=60):
        """A value as it may appear in an error message, a log and an RPC answer:
        no NUL or other control character, no lone surrogate, not too long."""
        text = value if isinstance(value, str) else repr(value)
        text = text.encode("utf-8", "replace").decode("utf-8").translate(CONTROL_CHARACTERS)
        return text if len(text) <= limit else text[:limit] + "…"

    @api.model
    def _parse_text(self, raw, name, numbers=False):
        """A text field of the CDR: a string (or, for number-like fields, an
        integer), without NUL characters, that PostgreSQL can store."""
        value = raw.get(name)
        if value is None or value is False or value == "":
            return ""
        if numbers and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError(_("%(field)s must be text, not %(value)s", field=name, value=self._shown(value)))
        if "\x00" in value:
            raise ValueError(_("%(field)s contains a NUL character", field=name))
        try:
            value.encode("utf-8")
        except UnicodeError as exc:
            raise ValueError(_("%(field)s is not valid text (%(error)s)", field=name, error=exc.reason)) from exc
        if len(value) > MAX_TEXT:
            raise ValueError(_("%(field)s is longer than %(max)s characters", field=name, max=MAX_TEXT))
        return value.strip()

    @api.model
    def _parse_time(self, value, tz, name="start"):
        if value in (None, False, ""):
            return None
        if isinstance(value, xmlrpc.client.DateTime):  # an XML-RPC dateTime.iso8601
            value = value.value
        if isinstance(value, datetime):
            parsed = value
        elif isinstance(value, str):
            text = value.strip().replace("T", " ")
            if text.endswith("Z"):
                text = text[:-1] + "+00:00"
            try:
                parsed = datetime.fromisoformat(text)
                if parsed.tzinfo is None:
                    parsed = pytz.timezone(tz).localize(parsed)
                parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)
            except (ValueError, TypeError, OverflowError, pytz.UnknownTimeZoneError) as exc:
                raise ValueError(_("Unparseable time in %(field)s: %(value)s",
                                   field=name, value=self._shown(value))) from exc
        else:
            raise ValueError(_("Unparseable time in %(field)s: %(value)s", field=name, value=self._shown(value)))
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)
        if not EARLIEST_CALL <= parsed <= fields.Datetime.now() + timedelta(days=1):
            raise ValueError(_("Impossible time in %(field)s: %(value)s (calls are from 2000 until today)",
                               field=name, value=self._shown(value)))
        return parsed

    @api.model
    def _parse_int(self, value, name):
        if value in (None, False, ""):
            return 0
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError(_("%(field)s must be a number of seconds, not %(value)s",
                               field=name, value=self._shown(value)))
        try:
            if isinstance(value, str):
                value = value.strip()
                number = float(value) if not value.lstrip("+-").isdigit() else int(value)
            else:
                number = value
            if isinstance(number, float):
                if not math.isfinite(number):
                    raise ValueError(name)
                number = int(number)
        except (ValueError, OverflowError) as exc:
            raise ValueError(_("%(field)s must be a number of seconds, not %(value)s",
                               field=name, value=self._shown(value))) from exc
        if number < 0 or number > MAX_DURATION:
            raise ValueError(_("%(field)s is out of range: %(value)s", field=name, value=self._shown(value)))
        return number

    @api.model
    def _is_extension(self, number, extensions):
        return bool(number) and (number in extensions or bool(EXTENSION_RE.match(number)))

    def _prepare(self, raw, settings, extensions):
        """Validate one raw CDR; return the values to store or raise ValueError."""
        if not isinstance(raw, dict):
            raise ValueError(_("A call must be a dictionary."))
        unknown = set(raw) - set(CDR_FIELDS)
        if unknown:
            raise ValueError(_("Unknown fields: %s", ", ".join(sorted(self._shown(k) for k in unknown))))
        text = {name: self._parse_text(raw, name, numbers=name in NUMBER_LIKE_FIELDS) for name in TEXT_FIELDS}
        uniqueid = text["uniqueid"]
        if not uniqueid:
            raise ValueError(_("The call has no uniqueid."))
        start = self._parse_time(raw.get("start"), settings["tz"], "start")
        answer = self._parse_time(raw.get("answer"), settings["tz"], "answer")
        end = self._parse_time(raw.get("end"), settings["tz"], "end")
        if not start:
            raise ValueError(_("The call has no start time."))
        if answer and answer < start:
            raise ValueError(_("Impossible call: answered before it started."))
        if end and end < (answer or start):
            raise ValueError(_("Impossible call: ended before it started or was answered."))
        duration = self._parse_int(raw.get("duration"), "duration")
        billsec = self._parse_int(raw.get("billsec"), "billsec")
        if billsec > duration and raw.get("duration") not in (None, ""):
            raise ValueError(_("Absurd duration: billsec %(billsec)s exceeds duration %(duration)s",
                               billsec=billsec, duration=duration))
        disposition = text["disposition"].upper() or ("ANSWERED" if billsec else "NO ANSWER")
        if disposition not in dict(DISPOSITIONS):
            raise ValueError(_("Unknown disposition: %s", self._shown(raw.get("disposition"))))
        if disposition != "ANSWERED" and billsec:
            raise ValueError(_("Impossible call: talk time on a call that was not answered."))
        src, dst = text["src"], text["dst"]
        src_ext = self._is_extension(src, extensions)
        dst_ext = self._is_extension(dst, extensions)
        direction = text["direction"].lower()
        if direction and direction not in ("inbound", "outbound", "internal"):
            raise ValueError(_("Unknown direction: %s", self._shown(raw.get("direction"))))
        if not direction:
            direction = "internal" if src_ext and dst_ext else "outbound" if src_ext else "inbound"
        extension = text["extension"]
        if not extension:
            if direction == "outbound":
                extension = src
            elif direction == "inbound":
                match = CHANNEL_RE.match(text["dstchannel"])
                extension = match.group(1) if match else (dst if dst_ext else "")
            else:
                extension = src
        if not extension and direction == "outbound":
            match = CHANNEL_RE.match(text["channel"])
            extension = match.group(1) if match else ""
        external = dst if direction == "outbound" else src if direction == "inbound" else ""
        e164, formatted = self._phone_formats(external, settings["country"]) if external else ("", "")
        values = {
            "uniqueid": uniqueid,
            "source": text["source"] or "default",
            "src": src, "dst": dst, "clid": text["clid"] or False,
            "start": start, "answer": answer, "end": end, "duration": duration, "billsec": billsec,
            "disposition": disposition, "direction": direction,
            "channel": text["channel"] or False, "dstchannel": text["dstchannel"] or False,
            "accountcode": text["accountcode"] or False, "userfield": text["userfield"] or False,
            "extension": extension or False, "recording_url": text["recording_url"] or False,
            # as Odoo shows phone numbers (the PBX's own notation stays in src and dst)
            "external_number": formatted or False,
            "is_missed": direction == "inbound" and disposition != "ANSWERED",
        }
        if external:
            values["phone_normalized"] = e164
        return values

    @api.model
    def _phone_formats(self, number, country):
        """``number`` in E.164 (to match clients by) and in the international
        format Odoo shows (phone_validation), parsed once (``phone_formats``);
        as it came when it is no phone number."""
        return phone_formats(number, country.code if country else None) or (number, number)

    def _log_error(self, raw, error):
        """Keep a record that could not be taken in the ingest log; return the log."""
        try:
            dumped = json.dumps(raw, default=str, ensure_ascii=False)
            dumped.encode("utf-8")
        except (TypeError, ValueError, UnicodeError, RecursionError):
            dumped = json.dumps(self._shown(raw, limit=MAX_TEXT), ensure_ascii=True)
        uniqueid = raw.get("uniqueid") if isinstance(raw, dict) else None
        source = raw.get("source") if isinstance(raw, dict) else None
        return self.env["pbx.ingest.log"].create({
            "raw": dumped,
            "error": error,
            "uniqueid": self._shown(uniqueid, limit=200) if uniqueid not in (None, False, "") else False,
            "source": self._shown(source, limit=200) if source not in (None, False, "") else False,
        })

    def _register_calls(self, calls):
        settings = self._pbx_settings()
        Users = self.env["res.users"].with_context(active_test=False)
        # the fields of the employees read below, not all of them (see _pbx_settings)
        users_by_ext = {
            u.pbx_extension: u for u in Users.search_fetch([("pbx_extension", "!=", False)],
                                                           ["pbx_extension", "sale_team_id", "partner_id", "share"])
        }
        extensions = set(users_by_ext)
        results, prepared = [], []
        for index, raw in enumerate(calls):
            try:
                values = self._prepare(raw, settings, extensions)
            except Exception as exc:  # one bad record never sinks the batch
                if not isinstance(exc, ValueError):
                    _logger.warning("PBX call record %s refused", index, exc_info=True)
                error = str(exc) if isinstance(exc, ValueError) else _("Invalid call: %s", self._shown(str(exc)))
                results.append(self._error_result(raw, error))
                continue
            results.append({"uniqueid": self._shown(values["uniqueid"], limit=MAX_TEXT), "status": None,
                            "id": False, "error": False})
            prepared.append((index, values))
        if not prepared:
            return results
        # existing calls: one query
        keys = {(v["source"], v["uniqueid"]) for _i, v in prepared}
        existing = {
            (c.source, c.uniqueid): c
            for c in self.with_context(active_test=False).search([
                ("uniqueid", "in", list({k[1] for k in keys})), ("source", "in", list({k[0] for k in keys}))])
        }
        # employees and clients: one query each
        for _i, values in prepared:
            user = users_by_ext.get(values["extension"]) if values["extension"] else None
            values["user_id"] = user.id if user else False
            values["team_id"] = user.sale_team_id.id if user else False
        numbers = {v["phone_normalized"] for _i, v in prepared if v.get("phone_normalized")}
        partners = self.env["res.partner"].with_context(active_test=False).search_fetch(
            ["|", ("phone_e164", "in", list(numbers)), ("mobile_e164", "in", list(numbers))],
            ["phone_e164", "mobile_e164", "team_id", "user_id", "commercial_partner_id"],
            order="parent_id desc, id") if numbers else self.env["res.partner"]
        by_number = {}
        for partner in partners:
            for number in (partner.phone_e164, partner.mobile_e164):
                if number:
                    by_number.setdefault(number, partner)
        # per call (source, uniqueid): the existing call or None, the values to create or the changes to
        # write, and the indexes of its records in the batch
        batch = {}
        for index, values in prepared:
            key = (values["source"], values["uniqueid"])
            if values.get("phone_normalized"):
                partner = by_number.get(values["phone_normalized"])
                values["partner_id"] = partner.id if partner else False
                if partner and not values["team_id"]:
                    values["team_id"] = partner.team_id.id
            if key not in batch:
                call = existing.get(key)
                batch[key] = {"call": call, "values": self._completions(call, values, {}) if call else values,
                              "indexes": [index]}
                status = "created" if not call else "updated" if batch[key]["values"] else "duplicate"
            else:
                # the same call twice in one batch: the later record completes it (a recording, a longer
                # duration), it never clears a value
                entry = batch[key]
                entry["indexes"].append(index)
                extra = self._completions(entry["call"], values, entry["values"])
                entry["values"].update(extra)
                status = "updated" if extra else "duplicate"
            results[index]["status"] = status
        to_create = [(key, entry) for key, entry in batch.items() if not entry["call"]]
        for entry in batch.values():
            if entry["call"] and entry["values"]:
                entry["call"].write(entry["values"])
        created = self._create_batch(to_create, settings, results)
        for entry in batch.values():
            call = entry["call"]
            for index in entry["indexes"]:
                if call:
                    results[index]["id"] = call.id
        if created:
            created._after_register()
        return results

    @api.model
    def _completions(self, call, values, pending):
        """What ``values`` add to a call (stored ``call`` or the ``pending`` values
        of one not stored yet): filled values that differ, never a cleared one."""
        extra = {}
        for name, value in values.items():
            if name in ("partner_id", "team_id", "user_id", "is_missed") or value in (False, None, ""):
                continue
            if name in pending:
                current = pending[name]
            elif call:
                current = call[name]
            else:
                current = False
            if str(current if current is not False else "") != str(value):
                extra[name] = value
        if "disposition" in extra or "direction" in extra:
            direction = extra.get("direction") or pending.get("direction") or (call and call.direction)
            disposition = extra.get("disposition") or pending.get("disposition") or (call and call.disposition)
            extra["is_missed"] = direction == "inbound" and disposition != "ANSWERED"
        return extra

    def _error_result(self, raw, error):
        log = self._log_error(raw, error)
        uniqueid = raw.get("uniqueid") if isinstance(raw, dict) else None
        return {"uniqueid": self._shown(uniqueid, limit=MAX_TEXT) if uniqueid not in (None, False, "") else False,
                "status": "error", "id": False, "error": error, "log_id": log.id}

    def _create_batch(self, to_create, settings, results):
        """Create the new calls of a batch (their unknown callers first) in one
        go; should the database refuse the batch, one by one, so that a record
        it refuses is logged and the others are stored."""
        if not to_create:
            return self.browse()
        # _create_unknown_callers links the values to the clients it creates: keep them as they were,
        # should those clients be rolled back with the batch
        originals = [dict(entry["values"]) for _key, entry in to_create]
        try:
            with self.env.cr.savepoint():
                created = self._create_new_calls([entry["values"] for _key, entry in to_create], settings)
            for (_key, entry), call in zip(to_create, created, strict=True):
                entry["call"] = call
        except psycopg2.errors.UniqueViolation:
            # another PBX worker stored some of these calls meanwhile: raise a
            # real serialization failure, so that Odoo retries the request,
            # which will then see those calls and report them as duplicates
            self.env.cr.execute(
                "DO $$ BEGIN RAISE EXCEPTION 'concurrent push of the same PBX calls' "
                "USING ERRCODE = 'serialization_failure'; END $$")
        except Exception:  # one bad record never sinks the batch
            _logger.warning("PBX batch refused by the database, storing its calls one by one", exc_info=True)
            created = self.browse()
            for (_key, entry), original in zip(to_create, originals, strict=True):
                entry["values"] = original
                try:
                    with self.env.cr.savepoint():
                        call = self._create_new_calls([entry["values"]], settings)
                except psycopg2.errors.UniqueViolation:
                    raise
                except Exception as exc:
                    error = _("The call could not be stored: %s", self._shown(str(exc), limit=300))
                    first, *others = entry["indexes"]
                    results[first].update(self._error_result(entry["values"], error))
                    for index in others:
                        results[index].update(status="error", error=error, log_id=results[first]["log_id"])
                    continue
                entry["call"] = call
                created |= call
        return created

    def _create_new_calls(self, values_list, settings):
        self._create_unknown_callers(values_list, settings)
        created = self.with_context(pbx_prepared_values=PREPARED).create(values_list)
        return created.with_context(pbx_prepared_values=None)

    def _insert_calls(self, values_list):
        """Insert new calls in one statement; a step of create(), never called
        elsewhere. The PBX pushes thousands of calls a minute and the values are
        already validated and complete (they come from _prepare): the ORM's
        per-record create machinery would cost more than the rest of the ingestion."""
        self.env.flush_all()
        columns = [name for name, field in self._fields.items()
                   if field.store and field.column_type and name != "id" and not field.compute
                   and name not in models.MAGIC_COLUMNS]
        now, uid = self.env.cr.now(), self.env.uid
        rows = [
            (*(values.get(name, False) or None for name in columns), uid, now, uid, now)
            for values in values_list
        ]
        quoted = ", ".join(f'"{name}"' for name in [*columns, "create_uid", "create_date", "write_uid", "write_date"])
        result = psycopg2.extras.execute_values(
            self.env.cr._obj,
            f"INSERT INTO pbx_call ({quoted}) VALUES %s RETURNING id",
            rows, page_size=len(rows), fetch=True)
        calls = self.browse([row[0] for row in result])
        # the values just stored go to the cache as a read would put them there (the database's values):
        # the extensions and _after_register read them without reading the new rows back
        for position, name in enumerate(columns):
            self.env.cache.insert_missing(calls, self._fields[name], [row[position] for row in rows])
        return calls

    def _create_unknown_callers(self, values_list, settings):
        """Callers not in the base become clients (or leads), curated by the
        employee who took the call, so that nobody can keep them off the books."""
        unknown = {}
        for values in values_list:
            if values.get("phone_normalized") and not values.get("partner_id") and values["direction"] != "internal":
                unknown.setdefault(values["phone_normalized"], values)
        if not unknown:
            return
        Users = self.env["res.users"]
        if settings["unknown"] == "lead":
            leads = self.env["crm.lead"].create([
                {
                    "name": _("Call from %s", number),
                    "phone": number,
                    "contact_name": self._clid_name(values.get("clid")) or False,
                    "user_id": values.get("user_id") or False,
                    "team_id": values.get("team_id") or False,
                    "type": "lead",
                }
                for number, values in unknown.items()
            ])
            by_number = dict(zip(unknown, leads, strict=True))
            for values in values_list:
                lead = by_number.get(values.get("phone_normalized"))
                if lead and not values.get("partner_id"):
                    values["lead_id"] = lead.id
            return
        # the curator learns of the new client from the call itself: no "assigned to you" mail per caller
        # nor a "contact created" line each (the call's line on the new client says where it came from), and
        # the PBX user follows no client; the curators follow their new clients, subscribed in one go below
        # the curators' languages (placeholder names) and departments read at once, not a query each
        Users.browse({values["user_id"] for values in unknown.values() if values.get("user_id")}).mapped(
            lambda user: (user.lang, user.sale_team_id))
        # the number is already in E.164 (phone_e164 and phone_sanitized need not parse it again), the
        # new client has no user account nor company (is_client)
        Partner = self.env["res.partner"].with_context(tracking_disable=True)
        sanitized = "phone_sanitized" in Partner._fields
        partners = Partner.create([
            {
                **({"phone_sanitized": number} if sanitized else {}),
                "name": self._clid_name(values.get("clid")) or self._placeholder_name(
                    values.get("external_number") or number, values.get("user_id")),
                "call_name_placeholder": not self._clid_name(values.get("clid")),
                "phone": number,
                "phone_e164": number,
                "mobile_e164": False,
                "is_client": True,
                "user_id": values.get("user_id") or False,
                "team_id": values.get("team_id") or (Users.browse(values["user_id"]).sale_team_id.id
                                                      if values.get("user_id") else False),
                "created_from_call": True,
                "is_company": False,
            }
            for number, values in unknown.items()
        ])
        self._pbx_subscribe({(partner.id, partner.user_id.partner_id.id) for partner in partners if partner.user_id})
        by_number = dict(zip(unknown, partners, strict=True))
        for values in values_list:
            partner = by_number.get(values.get("phone_normalized"))
            if partner and not values.get("partner_id"):
                values["partner_id"] = partner.id
                values["partner_created"] = unknown[values["phone_normalized"]] is values

    @api.model
    def _pbx_subscribe(self, pairs):
        """Make partners follow clients, ``pairs`` of (client id, follower
        partner id), in one statement for the batch (as mail.followers'
        _insert_followers does one follower at a time): default subtypes,
        the external ones for portal partners; existing followers are kept."""
        if not pairs:
            return
        client_ids, follower_ids = zip(*sorted(pairs), strict=True)
        default, _internal, external = self.env["mail.message.subtype"].default_subtypes("res.partner")
        customers = self.env["res.partner"].sudo().browse(set(follower_ids)).filtered("partner_share").ids
        self.env.flush_all()
        self.env.cr.execute(
            """
            WITH new AS (
                INSERT INTO mail_followers (res_model, res_id, partner_id)
                SELECT 'res.partner', pair.client_id, pair.partner_id
                  FROM unnest(%(clients)s::int[], %(followers)s::int[]) AS pair(client_id, partner_id)
                ON CONFLICT (res_model, res_id, partner_id) DO NOTHING
                RETURNING id, partner_id)
            INSERT INTO mail_followers_mail_message_subtype_rel (mail_followers_id, mail_message_subtype_id)
            SELECT new.id, subtype.id
              FROM new, unnest(CASE WHEN new.partner_id = ANY(%(customers)s::int[]) THEN %(external)s::int[]
                                    ELSE %(default)s::int[] END) AS subtype(id)
            """,
            {"clients": list(client_ids), "followers": list(follower_ids), "customers": customers,
             "external": external.ids, "default": default.ids},
        )
        self.env["mail.followers"].invalidate_model()
        self.env["res.partner"].invalidate_model(["message_follower_ids", "message_partner_ids"])

    @api.model
    def _placeholder_name(self, number, user_id):
        """The name of a client created from a call without a caller name, in
        its curator's language; marked as a placeholder its curator replaces."""
        lang = (user_id and self.env["res.users"].browse(user_id).lang) or self.env.company.partner_id.lang
        return self.with_context(lang=lang or self.env.lang).env._("Unknown caller %s", number)

    @api.model
    def _clid_name(self, clid):
        match = CLID_NAME_RE.match(clid or "")
        name = match.group(1).strip() if match else ""
        return name if name and not EXTENSION_RE.match(name) and not name.startswith("+") else ""

    def _after_register(self):
        """Chatter lines on the clients, call-backs marked, missed calls to call back."""
        with_partner = self.filtered("partner_id")
        if with_partner:
            bodies = {}
            default_lang = self.env.company.partner_id.lang or self.env.lang
            labels = {}
            # the curators' languages, and only them (reading a field of a record loads all of its fields)
            with_partner.partner_id.commercial_partner_id.user_id.partner_id.fetch(["lang"])
            for call in with_partner:
                # in the language of the client's curator, who reads its chatter
                lang = call.partner_id.commercial_partner_id.user_id.lang or default_lang
                if lang not in labels:
                    env = self.with_context(lang=lang).env
                    labels[lang] = tuple(dict(self._fields[name]._description_selection(env))
                                         for name in ("direction", "disposition"))
                bodies.setdefault(call.partner_id.id, []).append(call._chatter_line(*labels[lang]))
            self.env["res.partner"]._client_guard_log_notes(
                {pid: Markup("<br/>").join(lines) for pid, lines in bodies.items()})
        outbound = self.filtered(lambda c: c.direction == "outbound" and c.disposition == "ANSWERED"
                                 and c.phone_normalized)
        if outbound:
            missed = self.search([("is_missed", "=", True), ("called_back", "=", False),
                                  ("phone_normalized", "in", outbound.mapped("phone_normalized"))])
            latest = {}
            for call in outbound:
                latest[call.phone_normalized] = max(latest.get(call.phone_normalized, call.start), call.start)
            missed.filtered(lambda m: m.start <= latest[m.phone_normalized]).write({"called_back": True})
        missed_clients = self.filtered(lambda c: c.is_missed and c.partner_id and not c.called_back)
        if missed_clients:
            self._schedule_call_backs(missed_clients)

    def _chatter_line(self, directions=None, dispositions=None):
        """The call's line on its client's chatter, with the labels of the
        reader's language (those of the environment's language by default)."""
        self.ensure_one()
        if directions is None or dispositions is None:
            directions = dict(self._fields["direction"]._description_selection(self.env))
            dispositions = dict(self._fields["disposition"]._description_selection(self.env))
        minutes, seconds = divmod(self.billsec or 0, 60)
        # Markup's % escapes the values like format() does, at a fraction of its cost (a line per call)
        return Markup("📞 %s · %s · %d:%02d · %s") % (
            directions.get(self.direction, ""), self.external_number or "", minutes, seconds,
            dispositions.get(self.disposition, ""))

    def _schedule_call_backs(self, calls):
        activity_type = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        model_id = self.env["ir.model"]._get_id("res.partner")
        partners = calls.partner_id.commercial_partner_id
        summary = _("Call back: missed call")  # translated once for the batch, not once per activity
        existing = set(self.env["mail.activity"].search_fetch([
            ("res_model", "=", "res.partner"), ("res_id", "in", partners.ids),
            ("activity_type_id", "=", activity_type.id if activity_type else False),
            ("summary", "=", summary),
        ], ["res_id"]).mapped("res_id"))
        values = []
        today = fields.Date.context_today(self)
        for partner in partners:
            if partner.id in existing:
                continue
            user = partner.user_id or partner.team_id.user_id
            if not user:
                continue
            existing.add(partner.id)
            values.append({
                "res_model_id": model_id,
                "res_id": partner.id,
                "activity_type_id": activity_type.id if activity_type else False,
                "summary": summary,
                "user_id": user.id,
                "date_deadline": today,
            })
        if values:
            # mail.activity's create() subscribes each user to their clients, a look-up and a follower insert
            # per user: subscribed here in one statement for the batch, and told so (res.partner's
            # message_subscribe), it has nothing left to do
            pairs = frozenset((vals["res_id"], self.env["res.users"].browse(vals["user_id"]).partner_id.id)
                              for vals in values)
            self._pbx_subscribe(pairs)
            # each activity's record name: the clients' names computed together, not one read per activity
            partners.browse([vals["res_id"] for vals in values]).mapped("display_name")
            with server_flags(pbx_subscribed=pairs):
                self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(values)

    @api.model
    def _pbx_generate_demo(self):
        """A day of calls for the demo: known clients, unknown callers, missed calls."""
        partners = self.env["res.partner"].search(
            [("is_client", "=", True), ("is_company", "=", True), ("phone", "!=", False)], limit=20)
        now = fields.Datetime.now().replace(hour=9, minute=0, second=0)
        extensions = ["101", "102", "103", "201", "202", "301"]
        calls = []
        for index, partner in enumerate(partners):
            answered = index % 4 != 3
            start = now.replace(minute=index * 2)
            calls.append({
                "uniqueid": f"demo.{index}", "src": partner.phone, "dst": extensions[index % 6],
                "start": fields.Datetime.to_string(start), "duration": 90, "billsec": 75 if answered else 0,
                "disposition": "ANSWERED" if answered else "NO ANSWER", "direction": "inbound",
                "extension": extensions[index % 6],
            })
        for index in range(3):
            calls.append({
                "uniqueid": f"demo.new.{index}", "src": f"+7 903 555-01-0{index}", "dst": "101",
                "clid": f'"Новый клиент {index + 1}" <+7903555010{index}>',
                "start": fields.Datetime.to_string(now.replace(hour=11, minute=index)), "duration": 120,
                "billsec": 100, "disposition": "ANSWERED", "direction": "inbound", "extension": "101",
            })
        self.with_context(tz="UTC").sudo()._register_calls(
            [dict(call, start=call["start"] + "+00:00") for call in calls])
        return True
