import json
import logging
import re
from datetime import datetime, timezone

import psycopg2.errors
import psycopg2.extras
import pytz
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

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
EXTENSION_RE = re.compile(r"^\d{2,6}$")
CHANNEL_RE = re.compile(r"^(?:SIP|PJSIP|IAX2|Local)/(\d{2,6})\b", re.IGNORECASE)
CLID_NAME_RE = re.compile(r'^\s*"?([^"<]*?)"?\s*<[^>]*>\s*$')


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
            call.has_note = bool((call.note or "").strip())

    @api.depends("external_number", "direction", "start")
    def _compute_display_name(self):
        for call in self:
            call.display_name = f"{call.external_number or call.src or ''} ({call.direction or ''})"

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
        if not self._is_integration() and not self.env.user.has_group("base.group_system"):
            raise AccessError(_("Only the PBX integration user can register calls."))
        if not isinstance(calls, list):
            raise UserError(_("register_calls expects a list of calls."))
        if len(calls) > MAX_BATCH:
            raise UserError(_("At most %s calls per request.", MAX_BATCH))
        return self.sudo()._register_calls(calls)

    def _pbx_settings(self):
        ICP = self.env["ir.config_parameter"].sudo()
        return {
            "tz": ICP.get_param("pbx_call_capture.timezone") or self.env.company.partner_id.tz or "UTC",
            "unknown": ICP.get_param("pbx_call_capture.unknown_caller") or "client",
            "country": self.env.company.country_id or self.env.ref("base.ru", raise_if_not_found=False),
        }

    @api.model
    def _parse_time(self, value, tz):
        if value in (None, False, ""):
            return None
        if isinstance(value, datetime):
            parsed = value
        else:
            text = str(value).strip().replace("T", " ")
            if text.endswith("Z"):
                text = text[:-1] + "+00:00"
            parsed = datetime.fromisoformat(text)
        if parsed.tzinfo is None:
            parsed = pytz.timezone(tz).localize(parsed)
        return parsed.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)

    @api.model
    def _parse_int(self, value, name):
        if value in (None, False, ""):
            return 0
        number = int(float(value))
        if number < 0 or number > MAX_DURATION:
            raise ValueError(_("%(field)s is out of range: %(value)s", field=name, value=value))
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
            raise ValueError(_("Unknown fields: %s", ", ".join(sorted(unknown))))
        uniqueid = str(raw.get("uniqueid") or "").strip()
        if not uniqueid:
            raise ValueError(_("The call has no uniqueid."))
        try:
            start = self._parse_time(raw.get("start"), settings["tz"])
            answer = self._parse_time(raw.get("answer"), settings["tz"])
            end = self._parse_time(raw.get("end"), settings["tz"])
        except (ValueError, TypeError, pytz.UnknownTimeZoneError) as exc:
            raise ValueError(_("Unparseable time: %s", exc)) from exc
        if not start:
            raise ValueError(_("The call has no start time."))
        try:
            duration = self._parse_int(raw.get("duration"), "duration")
            billsec = self._parse_int(raw.get("billsec"), "billsec")
        except (TypeError, ValueError) as exc:
            raise ValueError(_("Absurd duration: %s", exc)) from exc
        if billsec > duration and raw.get("duration") not in (None, ""):
            raise ValueError(_("Absurd duration: billsec %(billsec)s exceeds duration %(duration)s",
                               billsec=billsec, duration=duration))
        disposition = (raw.get("disposition") or "").strip().upper() or ("ANSWERED" if billsec else "NO ANSWER")
        if disposition not in dict(DISPOSITIONS):
            raise ValueError(_("Unknown disposition: %s", raw.get("disposition")))
        src = str(raw.get("src") or "").strip()
        dst = str(raw.get("dst") or "").strip()
        src_ext = self._is_extension(src, extensions)
        dst_ext = self._is_extension(dst, extensions)
        direction = (raw.get("direction") or "").strip().lower()
        if direction and direction not in ("inbound", "outbound", "internal"):
            raise ValueError(_("Unknown direction: %s", raw.get("direction")))
        if not direction:
            direction = "internal" if src_ext and dst_ext else "outbound" if src_ext else "inbound"
        extension = str(raw.get("extension") or "").strip()
        if not extension:
            if direction == "outbound":
                extension = src
            elif direction == "inbound":
                match = CHANNEL_RE.match(raw.get("dstchannel") or "")
                extension = match.group(1) if match else (dst if dst_ext else "")
            else:
                extension = src
        if not extension and direction == "outbound":
            match = CHANNEL_RE.match(raw.get("channel") or "")
            extension = match.group(1) if match else ""
        external = dst if direction == "outbound" else src if direction == "inbound" else ""
        values = {
            "uniqueid": uniqueid,
            "source": str(raw.get("source") or "default").strip(),
            "src": src, "dst": dst, "clid": raw.get("clid") or False,
            "start": start, "answer": answer, "end": end, "duration": duration, "billsec": billsec,
            "disposition": disposition, "direction": direction,
            "channel": raw.get("channel") or False, "dstchannel": raw.get("dstchannel") or False,
            "accountcode": raw.get("accountcode") or False, "userfield": raw.get("userfield") or False,
            "extension": extension or False, "recording_url": raw.get("recording_url") or False,
            "external_number": external or False,
            "is_missed": direction == "inbound" and disposition != "ANSWERED",
        }
        if external:
            values["phone_normalized"] = self._phone_format(
                number=external, country=settings["country"], force_format="E164") or external
        return values

    def _register_calls(self, calls):
        settings = self._pbx_settings()
        Users = self.env["res.users"].with_context(active_test=False)
        users_by_ext = {
            u.pbx_extension: u for u in Users.search([("pbx_extension", "!=", False)])
        }
        extensions = set(users_by_ext)
        results, prepared = [], []
        for index, raw in enumerate(calls):
            uniqueid = raw.get("uniqueid") if isinstance(raw, dict) else None
            try:
                values = self._prepare(raw, settings, extensions)
            except ValueError as exc:
                log = self.env["pbx.ingest.log"].create({
                    "raw": json.dumps(raw, default=str, ensure_ascii=False),
                    "error": str(exc), "uniqueid": uniqueid and str(uniqueid),
                    "source": (isinstance(raw, dict) and raw.get("source")) or False,
                })
                results.append({"uniqueid": uniqueid, "status": "error", "id": False, "error": str(exc),
                                "log_id": log.id})
                continue
            results.append({"uniqueid": values["uniqueid"], "status": None, "id": False, "error": False})
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
        partners = self.env["res.partner"].with_context(active_test=False).search(
            ["|", ("phone_e164", "in", list(numbers)), ("mobile_e164", "in", list(numbers))],
            order="parent_id desc, id") if numbers else self.env["res.partner"]
        by_number = {}
        for partner in partners:
            for number in (partner.phone_e164, partner.mobile_e164):
                if number:
                    by_number.setdefault(number, partner)
        to_create, to_update, seen = [], [], {}
        for index, values in prepared:
            key = (values["source"], values["uniqueid"])
            call = existing.get(key)
            if key in seen:  # the same call twice in one batch
                results[index].update(status="duplicate", id=call.id if call else False)
                seen[key].append(index)
                continue
            seen[key] = [index]
            if values.get("phone_normalized"):
                partner = by_number.get(values["phone_normalized"])
                values["partner_id"] = partner.id if partner else False
                if partner and not values["team_id"]:
                    values["team_id"] = partner.team_id.id
            if call:
                # a later push completes a call (e.g. the recording arrives): it never clears a value
                changes = {
                    k: v for k, v in values.items()
                    if k not in ("partner_id", "team_id", "user_id") and v not in (False, None, "")
                    and str(call[k] if call[k] is not False else "") != str(v)
                }
                if changes:
                    to_update.append((index, call, changes))
                else:
                    results[index].update(status="duplicate", id=call.id)
            else:
                to_create.append((index, values))
        for index, call, changes in to_update:
            call.write(changes)
            results[index].update(status="updated", id=call.id)
        if to_create:
            self._create_unknown_callers([v for _i, v in to_create], settings)
            try:
                with self.env.cr.savepoint():
                    created = self._insert_calls([v for _i, v in to_create])
            except psycopg2.errors.UniqueViolation:
                # another PBX worker stored some of these calls meanwhile: raise a
                # real serialization failure, so that Odoo retries the request,
                # which will then see those calls and report them as duplicates
                self.env.cr.execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'concurrent push of the same PBX calls' "
                    "USING ERRCODE = 'serialization_failure'; END $$")
            for (index, _values), call in zip(to_create, created, strict=True):
                results[index].update(status="created", id=call.id)
                for other in seen[(call.source, call.uniqueid)][1:]:
                    results[other]["id"] = call.id
            created._after_register()
        for _index, call, _changes in to_update:
            for other in seen[(call.source, call.uniqueid)][1:]:
                results[other]["id"] = call.id
        return results

    def _insert_calls(self, values_list):
        """Insert new calls in one statement. The PBX pushes thousands of calls
        a minute and the values are already validated and complete (they come
        from _prepare): the ORM's per-record create machinery would cost more
        than the rest of the ingestion."""
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
        return self.browse([row[0] for row in result])

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
        partners = self.env["res.partner"].with_context(mail_auto_subscribe_no_notify=True).create([
            {
                "name": self._clid_name(values.get("clid")) or number,
                "phone": number,
                "user_id": values.get("user_id") or False,
                "team_id": values.get("team_id") or (Users.browse(values["user_id"]).sale_team_id.id
                                                      if values.get("user_id") else False),
                "created_from_call": True,
                "is_company": False,
            }
            for number, values in unknown.items()
        ])
        by_number = dict(zip(unknown, partners, strict=True))
        for values in values_list:
            partner = by_number.get(values.get("phone_normalized"))
            if partner and not values.get("partner_id"):
                values["partner_id"] = partner.id
                values["partner_created"] = unknown[values["phone_normalized"]] is values

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
            for call in with_partner:
                bodies.setdefault(call.partner_id.id, []).append(call._chatter_line())
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

    def _chatter_line(self):
        self.ensure_one()
        direction = dict(self._fields["direction"].selection).get(self.direction, "")
        disposition = dict(self._fields["disposition"].selection).get(self.disposition, "")
        minutes, seconds = divmod(self.billsec or 0, 60)
        return Markup("{} {} · {} · {}:{:02d} · {}").format(
            _("📞"), direction, self.external_number or "", minutes, seconds, disposition)

    def _schedule_call_backs(self, calls):
        activity_type = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        model_id = self.env["ir.model"]._get_id("res.partner")
        partners = calls.partner_id.commercial_partner_id
        existing = set(self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "in", partners.ids),
            ("activity_type_id", "=", activity_type.id if activity_type else False),
            ("summary", "=", _("Call back: missed call")),
        ]).mapped("res_id"))
        values = []
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
                "summary": _("Call back: missed call"),
                "user_id": user.id,
                "date_deadline": fields.Date.context_today(self),
            })
        if values:
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
