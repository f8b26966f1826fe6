import logging
from datetime import datetime, time, timedelta

import psycopg2.errors
import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command

from odoo.addons.pbx_call_capture.note_text import visible_length

_logger = logging.getLogger(__name__)


class WorkShift(models.Model):
    _name = "work.shift"
    _description = "Work Shift"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"

    user_id = fields.Many2one("res.users", string="Employee", required=True, index=True, readonly=True,
                              default=lambda self: self.env.user)
    team_id = fields.Many2one("crm.team", string="Department", readonly=True, index=True)
    date_start = fields.Datetime(string="Start", required=True, readonly=True, default=fields.Datetime.now)
    date_end = fields.Datetime(string="End", readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed"), ("force_closed", "Force-closed")],
        default="open", required=True, readonly=True, index=True, tracking=True)
    force_reason = fields.Text(string="Force-close Reason", readonly=True)
    forced_by_id = fields.Many2one("res.users", string="Force-closed By", readonly=True)
    call_ids = fields.One2many("pbx.call", "shift_id", string="Checked Calls", readonly=True)
    missing_call_ids = fields.Many2many(
        "pbx.call", "work_shift_missing_call_rel", "shift_id", "call_id", string="Calls Without Note at Closing",
        readonly=True)
    # figures kept when the shift ends (reports, pivot)
    call_count = fields.Integer(string="Calls", readonly=True, aggregator="sum")
    answered_count = fields.Integer(string="Answered", readonly=True, aggregator="sum")
    missed_count = fields.Integer(string="Missed", readonly=True, aggregator="sum")
    noted_count = fields.Integer(string="With Note", readonly=True, aggregator="sum")
    without_note_count = fields.Integer(string="Without Note", readonly=True, aggregator="sum")
    talk_time = fields.Integer(string="Talk Time (s)", readonly=True, aggregator="sum")
    pending_note_count = fields.Integer(string="Calls Needing a Note", compute="_compute_pending_note_count")
    pending_call_ids = fields.Many2many("pbx.call", string="Calls needing a note",
                                        compute="_compute_pending_note_count")
    can_force_close = fields.Boolean(compute="_compute_can_force_close",
                                     help="Technical: the current user may force-close this shift.")

    def init(self):
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS work_shift_one_open_per_user "
            "ON work_shift (user_id) WHERE state = 'open'")

    @api.depends("state", "date_start")
    def _compute_pending_note_count(self):
        for shift in self:
            calls = shift._calls_needing_note() if shift.state == "open" else self.env["pbx.call"]
            shift.pending_note_count = len(calls)
            shift.pending_call_ids = calls

    @api.depends_context("uid")
    def _compute_can_force_close(self):
        for shift in self:
            shift.can_force_close = shift._can_force_close()

    @api.depends("user_id", "date_start")
    def _compute_display_name(self):
        for shift in self:
            start = fields.Datetime.context_timestamp(shift, shift.date_start) if shift.date_start else False
            shift.display_name = f"{shift.user_id.name} {start.strftime('%Y-%m-%d %H:%M') if start else ''}"

    # ------------------------------------------------------------------
    # Opening
    # ------------------------------------------------------------------
    @api.model
    def _ensure_open(self, users):
        """Open a shift for each of ``users`` that has none open (set-based)."""
        users = users.filtered(lambda u: not u.share)
        if not users:
            return self.browse()
        Shift = self.sudo()
        opened = Shift.search_fetch([("user_id", "in", users.ids), ("state", "=", "open")], ["user_id"])
        missing = users - opened.user_id
        if not missing:
            return opened
        try:
            with self.env.cr.savepoint(flush=False):
                self._insert_open_shifts(missing)
        except psycopg2.errors.SerializationFailure:
            # parallel logins or calls of one employee: another request opened the shift first
            # (ON CONFLICT cannot skip a row its snapshot does not see); that shift is the one
            _logger.info("Shift of %s opened by a concurrent request", missing.ids)
        return Shift.search([("user_id", "in", users.ids), ("state", "=", "open")])

    def _insert_open_shifts(self, users):
        self.env.cr.execute(
            """
            INSERT INTO work_shift (user_id, team_id, date_start, state, create_uid, create_date, write_uid,
                                    write_date)
            SELECT u.id, t.team_id, %(now)s, 'open', %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(users)s) AS u(id)
              LEFT JOIN LATERAL (SELECT crm_team_id AS team_id FROM crm_team_member m
                                  WHERE m.user_id = u.id AND m.active ORDER BY m.id LIMIT 1) t ON true
            ON CONFLICT (user_id) WHERE state = 'open' DO NOTHING
            """,
            {"now": self.env.cr.now(), "uid": self.env.uid, "users": users.ids},
            # a concurrent login's serialization failure is expected and handled by _ensure_open: no "bad query"
            log_exceptions=False,
        )

    @api.model
    def action_open_my_shift(self):
        shift = self._ensure_open(self.env.user)
        return {
            "type": "ir.actions.act_window",
            "res_model": "work.shift",
            "res_id": shift.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------
    # What needs a note
    # ------------------------------------------------------------------
    def _check_start(self):
        """Start of the close check's look-back: the company's number of days
        before the shift opened."""
        self.ensure_one()
        company = self.user_id.company_id or self.env.company
        return self.date_start - timedelta(days=max(company.shift_lookback_days, 0))

    def _unchecked_call_domain(self):
        """The calls the close of this shift checks: every call of its employee
        that no properly closed shift has checked yet, whenever and in whatever
        order the PBX reported it (before the login, the call that opened the
        shift, late, after a close), within the look-back. Calls left without a
        note by a forced close stay unchecked and come back here."""
        self.ensure_one()
        return [("user_id", "=", self.user_id.id), ("shift_id", "=", False), ("start", ">=", self._check_start())]

    def _unchecked_calls(self):
        self.ensure_one()
        return self.env["pbx.call"].sudo().search(self._unchecked_call_domain(), order="start")

    def _calls_needing_note(self):
        """Calls of the shift that still need a note, per the company's rules:
        answered calls over the minimum talk time without a proper note (or
        reason), and missed client calls not called back."""
        self.ensure_one()
        company = self.user_id.company_id or self.env.company
        base = self._unchecked_call_domain()
        answered = ["&", ("disposition", "=", "ANSWERED"), ("billsec", ">=", company.shift_min_call_duration)]
        domain = answered
        if company.shift_count_missed:
            missed = ["&", "&", ("is_missed", "=", True), ("partner_id", "!=", False), ("called_back", "=", False)]
            domain = ["|", *answered, *missed]
        calls = self.env["pbx.call"].sudo().search(base + domain, order="start")
        min_length = company.shift_min_note_length
        require_reason = company.shift_require_reason
        return calls.filtered(
            lambda c: visible_length(c.note) < max(min_length, 1) or (require_reason and not c.reason_id))

    @api.model
    def _call_problem(self, call):
        """What a call needing a note still lacks, in words."""
        company = call.user_id.company_id or self.env.company
        min_length = max(company.shift_min_note_length, 1)
        length = visible_length(call.note)
        if call.is_missed and not length:
            return _("missed, not called back and no note")
        if not length:
            return _("no note")
        if length < min_length:
            return _("note too short: %(length)s of at least %(min)s characters", length=length, min=min_length)
        return _("no call reason")

    @api.model
    def _describe_calls(self, calls, limit=20):
        lines = [
            "- {} {} {} ({})".format(
                fields.Datetime.context_timestamp(self, c.start).strftime("%H:%M") if c.start else "",
                c.external_number or "", c.partner_id.name or "", self._call_problem(c))
            for c in calls[:limit]
        ]
        if len(calls) > limit:
            lines.append(_("… and %s more", len(calls) - limit))
        return "\n".join(lines)

    # ------------------------------------------------------------------
    # Closing
    # ------------------------------------------------------------------
    def _attach_checked_calls(self, calls):
        """Record on each call the shift whose close check took it in."""
        self.ensure_one()
        calls.sudo().write({"shift_id": self.id})

    def _checked_calls(self):
        """The calls a closed shift checked, with those a forced close left without a note."""
        self.ensure_one()
        return self.call_ids | self.missing_call_ids

    def _store_figures(self):
        for shift in self:
            calls = shift.sudo()._checked_calls()
            answered = calls.filtered(lambda c: c.disposition == "ANSWERED")
            noted = calls.filtered("has_note")
            shift.write({
                "call_count": len(calls),
                "answered_count": len(answered),
                "missed_count": len(calls.filtered("is_missed")),
                "noted_count": len(noted),
                "without_note_count": len(calls) - len(noted),
                "talk_time": sum(answered.mapped("billsec")),
            })

    def action_close(self):
        """Close the shift. While calls still need a note, the closing is
        refused with their list; from the web client (context
        ``shift_close_wizard``) the wizard opens instead to fill them in."""
        self.ensure_one()
        if self.user_id != self.env.user and not self.env.su:
            raise AccessError(_("Only the employee closes their own shift; managers can force-close it."))
        if self.state != "open":
            raise UserError(_("This shift is already closed."))
        # lock the shift: two closes of the same shift do not check the calls twice
        self.env.cr.execute("SELECT id FROM work_shift WHERE id = %s FOR UPDATE", [self.id])
        missing = self._calls_needing_note()
        if missing:
            if self.env.context.get("shift_close_wizard"):
                return self.env["work.shift.close.wizard"]._action_open(self, missing)
            company = self.user_id.company_id or self.env.company
            raise UserError(_(
                "%(count)s calls still need notes before the shift can be closed "
                "(a note has at least %(min)s characters):\n%(calls)s",
                count=len(missing), min=max(company.shift_min_note_length, 1),
                calls=self._describe_calls(missing)))
        self.sudo()._attach_checked_calls(self.sudo()._unchecked_calls())
        self.sudo().write({"state": "closed", "date_end": fields.Datetime.now()})
        self.sudo()._store_figures()
        return True

    def _can_force_close(self):
        user = self.env.user
        if user.has_group("client_guard.group_security_officer") or user.has_group("base.group_system"):
            return True
        led = self.env["crm.team"].sudo().search([("user_id", "=", user.id)])
        return bool(led) and self.user_id in led.member_ids

    def action_force_close(self, reason):
        for shift in self:
            if shift.user_id == self.env.user and not self.env.su:
                raise AccessError(_("Nobody force-closes their own shift: close it with the notes of its calls, "
                                    "or ask the head of your department or a security officer."))
            if not shift._can_force_close():
                raise AccessError(_("Only the head of the employee's department or a security officer can "
                                    "force-close a shift."))
            if not (reason or "").strip():
                raise UserError(_("Give the reason of the forced close."))
            if shift.state != "open":
                raise UserError(_("This shift is already closed."))
            shift.sudo()._force_close(reason, self.env.user)
        return True

    def _force_close(self, reason, by_user):
        missing = self._calls_needing_note()
        # the calls still missing a note stay unchecked: the next shift's close checks them again
        self._attach_checked_calls(self._unchecked_calls() - missing)
        self.write({
            "state": "force_closed",
            "date_end": fields.Datetime.now(),
            "force_reason": reason,
            "forced_by_id": by_user.id if by_user else False,
            "missing_call_ids": [Command.set(missing.ids)],
        })
        self._store_figures()
        self.message_post(body=_("Force-closed: %(reason)s. Calls without note: %(count)s",
                                 reason=reason, count=len(missing)))

    # ------------------------------------------------------------------
    # Scheduled jobs
    # ------------------------------------------------------------------
    @api.model
    def _cron_close_forgotten_shifts(self):
        """Force-close the shifts still open after the midnight of the day they
        started (in the employee's time zone)."""
        now = fields.Datetime.now()
        for shift in self.sudo().search([("state", "=", "open")]):
            tz = pytz.timezone(shift.user_id.tz or "UTC")
            start_local = pytz.utc.localize(shift.date_start).astimezone(tz)
            midnight = tz.localize(datetime.combine(start_local.date() + timedelta(days=1), time.min))
            if now >= midnight.astimezone(pytz.utc).replace(tzinfo=None):
                shift._force_close(_("not closed by the employee"), False)
        return True

    @api.model
    def _cron_note_reminders(self):
        """One activity per employee for calls left without a note longer than
        the company's delay; each call is reminded once."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for shift in self.sudo().search([("state", "=", "open")]):
            delay = (shift.user_id.company_id or self.env.company).shift_reminder_minutes
            limit = fields.Datetime.now() - timedelta(minutes=delay)
            calls = shift._calls_needing_note().filtered(
                lambda c, lim=limit: not c.note_reminder_sent and c.start <= lim)
            if not calls:
                continue
            shift.activity_schedule(
                activity_type_id=activity_type.id,
                summary=_("%s calls need a note", len(calls)),
                note=self._describe_calls(calls).replace("\n", "<br/>"),
                user_id=shift.user_id.id,
            )
            calls.write({"note_reminder_sent": True})
        return True

    # ------------------------------------------------------------------
    # Report
    # ------------------------------------------------------------------
    @api.model
    def _report_rows(self, date_from, date_to, team_id=False):
        """Per employee figures for shifts started in [date_from, date_to], as
        the current user may see them (record rules on shifts and calls)."""
        domain = [("date_start", ">=", date_from), ("date_start", "<=", date_to)]
        if team_id:
            domain.append(("team_id", "=", team_id))
        shifts = self.search(domain)
        Call = self.env["pbx.call"]
        rows, without_note = [], Call.browse()
        for user in shifts.user_id.sorted("name"):
            user_shifts = shifts.filtered(lambda s, u=user: s.user_id == u)
            # the calls each shift checked (with those a forced close left without a note); for a
            # shift still open, the calls its close will check
            checked_ids = user_shifts.sudo().mapped(lambda s: s._checked_calls().ids)
            domain = [("id", "in", [i for ids in checked_ids for i in ids])]
            for shift in user_shifts.filtered(lambda s: s.state == "open"):
                domain = ["|", *domain, *shift._unchecked_call_domain()]
            calls = Call.search(domain)
            answered = calls.filtered(lambda c: c.disposition == "ANSWERED")
            noted = calls.filtered("has_note")
            without_note |= calls - noted
            rows.append({
                "employee": user.name,
                "shifts": len(user_shifts),
                "calls": len(calls),
                "answered": len(answered),
                "missed": len(calls.filtered("is_missed")),
                "with_note": len(noted),
                "without_note": len(calls) - len(noted),
                "force_closed": len(user_shifts.filtered(lambda s: s.state == "force_closed")),
                "avg_talk": round(sum(answered.mapped("billsec")) / len(answered)) if answered else 0,
            })
        return rows, without_note

    @api.model
    def _report_xlsx(self, date_from, date_to, team_id=False):
        import io  # noqa: PLC0415

        import xlsxwriter  # noqa: PLC0415

        rows, without_note = self._report_rows(date_from, date_to, team_id)
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = book.add_format({"bold": True})
        sheet = book.add_worksheet(_("Employees"))
        headers = [_("Employee"), _("Shifts"), _("Calls"), _("Answered"), _("Missed"), _("With note"),
                   _("Without note"), _("Force-closed"), _("Average talk time (s)")]
        keys = ["employee", "shifts", "calls", "answered", "missed", "with_note", "without_note", "force_closed",
                "avg_talk"]
        sheet.write_row(0, 0, headers, bold)
        for index, row in enumerate(rows, start=1):
            sheet.write_row(index, 0, [row[k] for k in keys])
        sheet.set_column(0, 0, 30)
        calls_sheet = book.add_worksheet(_("Calls without notes"))
        calls_sheet.write_row(0, 0, [_("Start"), _("Employee"), _("Number"), _("Client"), _("Direction"),
                                     _("Disposition"), _("Talk time (s)"), _("Reported")], bold)
        for index, call in enumerate(without_note.sorted("start"), start=1):
            calls_sheet.write_row(index, 0, [
                fields.Datetime.to_string(call.start) if call.start else "", call.user_id.name or "",
                call.external_number or "", call.partner_id.name or "", call.direction or "",
                call.disposition or "", call.billsec,
                _("reported after close") if call.reported_after_close else ""])
        book.close()
        return output.getvalue()
