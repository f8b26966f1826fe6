from datetime import datetime, time

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class CuratorDeputy(models.Model):
    _name = "curator.deputy"
    _description = "Deputy of a Curator while Away"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _rec_name = "curator_id"

    curator_id = fields.Many2one(
        "res.users", required=True, index=True, tracking=True,
        default=lambda self: self.env.user, ondelete="cascade",
        help="The curator who is away (holiday, illness).")
    deputy_id = fields.Many2one(
        "res.users", required=True, index=True, tracking=True, ondelete="cascade",
        help="Looks after the curator's clients, their open opportunities and activities during the period.")
    date_from = fields.Date(string="From", required=True, default=fields.Date.context_today, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True, help="Last day of the absence.")
    reason = fields.Char(help="Holiday, illness, business trip...")
    state = fields.Selection(
        [("planned", "Planned"), ("active", "In progress"), ("done", "Ended"), ("cancelled", "Cancelled")],
        default="planned", required=True, readonly=True, tracking=True, index=True, copy=False,
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True)
    started_at = fields.Datetime(readonly=True, copy=False)
    ended_at = fields.Datetime(readonly=True, copy=False)
    activity_count = fields.Integer(string="Activities handed over", readonly=True, copy=False)
    returned_count = fields.Integer(string="Returned to the curator", readonly=True, copy=False)
    leave_info = fields.Char(string="Leaves", compute="_compute_leave_info",
                             help="The curator's approved leaves (Time Off), when that app is installed.")

    _sql_constraints = [
        ("dates_order", "CHECK (date_from <= date_to)", "A deputy period cannot end before it starts."),
        ("not_self", "CHECK (curator_id != deputy_id)", "A curator cannot be their own deputy."),
    ]

    @api.constrains("curator_id", "deputy_id", "date_from", "date_to", "state")
    def _check_overlap(self):
        for period in self.filtered(lambda p: p.state in ("planned", "active")):
            overlapping = self.search_count([
                ("id", "!=", period.id), ("curator_id", "=", period.curator_id.id),
                ("state", "in", ("planned", "active")),
                ("date_from", "<=", period.date_to), ("date_to", ">=", period.date_from),
            ])
            if overlapping:
                raise ValidationError(_("%s already has a deputy for part of this period.", period.curator_id.name))
            if not period.deputy_id.active or period.deputy_id.share:
                raise ValidationError(_("The deputy must be an active internal user."))

    # ------------------------------------------------------------------
    # Rights: heads; the curator themselves when the company allows it
    # ------------------------------------------------------------------
    def _check_may_manage(self, curator_ids):
        if self.env.su:
            return
        user = self.env.user
        if user.has_group("client_guard.group_manage_curators") or user.has_group("base.group_system"):
            return
        if set(curator_ids) <= {user.id} and user.company_id.client_guard_deputy_by_curator:
            return
        raise AccessError(_("Only a head names a deputy for a curator (or the curator, if the company allows it)."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_may_manage([vals.get("curator_id") or self.env.uid for vals in vals_list])
        periods = super().create(vals_list)
        periods.sudo()._sync_state()
        return periods

    def write(self, vals):
        self._check_may_manage(self.curator_id.ids + ([vals["curator_id"]] if vals.get("curator_id") else []))
        if self.filtered(lambda p: p.state != "planned") and {"curator_id", "deputy_id", "date_from"} & set(vals):
            raise UserError(_("A period in progress or over keeps its curator, deputy and start: end it and "
                              "name a new deputy instead."))
        result = super().write(vals)
        if {"date_from", "date_to"} & set(vals):
            self.sudo()._sync_state()
        return result

    def unlink(self):
        self._check_may_manage(self.curator_id.ids)
        if any(p.state != "planned" for p in self):
            raise UserError(_("A deputy period that has started is kept in the history: end it instead."))
        return super().unlink()

    # ------------------------------------------------------------------
    # Period start and end (the daily job, and at once for today's periods)
    # ------------------------------------------------------------------
    @api.model
    def _active_by_curator(self):
        periods = self.sudo().search([("state", "=", "active")])
        return {period.curator_id.id: period for period in periods}

    @api.model
    def _curator_today(self, curator, company=None):
        """The date in the curator's time zone (else their company's, else UTC).

        The absence is the curator's, so whoever names the deputy or runs the
        daily job, a period starts and ends on the curator's calendar day."""
        company = company or curator.company_id or self.env.company
        tz = curator.sudo().tz or company.sudo().partner_id.tz or "UTC"
        return fields.Date.context_today(self.with_context(tz=tz))

    def _sync_state(self):
        today = {period: self._curator_today(period.curator_id, period.company_id) for period in self}
        self.filtered(lambda p: p.state == "active" and p.date_to < today[p])._end()
        self.filtered(lambda p: p.state == "planned" and p.date_from <= today[p] <= p.date_to)._start()
        self.filtered(lambda p: p.state == "planned" and p.date_to < today[p]).write({"state": "done"})

    @api.model
    def _cron_sync(self):
        self.sudo().search([("state", "in", ("planned", "active"))])._sync_state()

    def _client_domain(self):
        self.ensure_one()
        return [("user_id", "=", self.curator_id.id), ("is_client", "=", True), ("parent_id", "=", False)]

    def _curator_activities(self):
        """Open activities assigned to the curator on their clients and opportunities."""
        self.ensure_one()
        Activity = self.env["mail.activity"].sudo()
        clients = self.env["res.partner"].sudo().with_context(active_test=False).search(self._client_domain())
        domain = [("res_model", "=", "res.partner"), ("res_id", "in", clients.ids)]
        if "crm.lead" in self.env:
            leads = self.env["crm.lead"].sudo().search([
                "|", ("user_id", "=", self.curator_id.id), ("partner_id", "child_of", clients.ids)])
            domain = ["|", "&", ("res_model", "=", "crm.lead"), ("res_id", "in", leads.ids), "&", *domain]
        return Activity.search([("user_id", "=", self.curator_id.id), *domain]), clients

    def _start(self):
        for period in self:
            activities, clients = period._curator_activities()
            activities.with_context(mail_activity_quick_update=True).write(
                {"user_id": period.deputy_id.id, "deputy_period_id": period.id})
            period._history_open(clients)
            period.write({"state": "active", "started_at": self.env.cr.now(),
                          "activity_count": len(activities)})
            period.message_post(body=Markup("<p>%s</p>") % _(
                "%(deputy)s looks after the clients of %(curator)s until %(date)s (%(count)s activities handed over).",
                deputy=period.deputy_id.name, curator=period.curator_id.name,
                date=period.date_to, count=len(activities)), subtype_xmlid="mail.mt_note")
        self._deputies_changed()

    def _end(self):
        """Everything still open returns to the curator; what the deputy closed
        (done activities, won or lost opportunities) stays as it is."""
        for period in self:
            Activity = self.env["mail.activity"].sudo()
            activities = Activity.search([("deputy_period_id", "=", period.id), ("user_id", "=", period.deputy_id.id)])
            activities.with_context(mail_activity_quick_update=True).write(
                {"user_id": period.curator_id.id, "deputy_period_id": False})
            returned = len(activities)
            if "crm.lead" in self.env:
                clients = self.env["res.partner"].sudo().with_context(active_test=False).search(period._client_domain())
                leads = self.env["crm.lead"].sudo().search([
                    ("user_id", "=", period.deputy_id.id), ("partner_id", "child_of", clients.ids),
                    ("create_date", ">=", period.started_at), ("stage_id.is_won", "=", False),
                ])
                leads.write({"user_id": period.curator_id.id})
                returned += len(leads)
            now = fields.Datetime.now()
            self.env.cr.execute(
                "UPDATE res_partner_curator_history SET date_to = %s WHERE deputy_period_id = %s",
                (now, period.id))
            period.write({"state": "done", "ended_at": now, "returned_count": returned})
            period.message_post(body=Markup("<p>%s</p>") % _(
                "The period is over: %(count)s open activities and opportunities returned to %(curator)s.",
                count=returned, curator=period.curator_id.name), subtype_xmlid="mail.mt_note")
        self.env["res.partner.curator.history"].invalidate_model()
        self._deputies_changed()

    def _deputies_changed(self):
        # the record rules read the deputies through the users' computed field
        self.env["res.users"].invalidate_model(["client_guard_deputy_for_ids"])
        self.env.registry.clear_cache()

    def _history_open(self, clients):
        """One curator-history line per client for the deputy period."""
        self.ensure_one()
        if not clients:
            return
        now = self.env.cr.now()
        planned_end = datetime.combine(self.date_to, time.max).replace(microsecond=0)
        self.env.cr.execute(
            """
            INSERT INTO res_partner_curator_history
                   (partner_id, user_id, previous_user_id, date_from, date_to, changed_by_id, kind,
                    deputy_period_id, create_uid, create_date, write_uid, write_date)
            SELECT id, %s, %s, %s, %s, %s, 'deputy', %s, %s, %s, %s, %s
              FROM res_partner WHERE id = ANY(%s)
            """,
            (self.deputy_id.id, self.curator_id.id, now, planned_end, self.env.uid, self.id,
             self.env.uid, now, self.env.uid, now, clients.ids))
        self.env["res.partner.curator.history"].invalidate_model()

    def action_end(self):
        """End a period early (the curator is back)."""
        self._check_may_manage(self.curator_id.ids)
        self.sudo().filtered(lambda p: p.state == "active")._end()
        return True

    def action_cancel(self):
        self._check_may_manage(self.curator_id.ids)
        if any(p.state != "planned" for p in self):
            raise UserError(_("Only a planned period can be cancelled; end a period in progress instead."))
        self.sudo().write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------
    # Time Off (hr_holidays), when installed: no dependency
    # ------------------------------------------------------------------
    def _curator_leaves(self):
        self.ensure_one()
        if "hr.leave" not in self.env or not self.curator_id:
            return []
        return self.env["hr.leave"].sudo().search([
            ("employee_id.user_id", "=", self.curator_id.id), ("state", "=", "validate"),
            ("request_date_to", ">=", fields.Date.context_today(self)),
        ], order="request_date_from", limit=5)

    @api.depends("curator_id")
    def _compute_leave_info(self):
        for period in self:
            leaves = period._curator_leaves()
            period.leave_info = ", ".join(
                f"{leave.request_date_from} – {leave.request_date_to}" for leave in leaves) or False

    @api.onchange("curator_id")
    def _onchange_curator_propose(self):
        """Propose the dates of the curator's next approved leave, and a colleague
        of their department who is not away then."""
        leaves = self._curator_leaves() if self.curator_id else []
        if not leaves:
            return
        leave = leaves[0]
        self.date_from, self.date_to = leave.request_date_from, leave.request_date_to
        if not self.deputy_id:
            self.deputy_id = self._propose_deputy(leave.request_date_from, leave.request_date_to)

    def _propose_deputy(self, date_from, date_to):
        self.ensure_one()
        team = self.curator_id.sale_team_id
        candidates = (team.member_ids | team.user_id) - self.curator_id
        if "hr.leave" in self.env and candidates:
            away = self.env["hr.leave"].sudo().search([
                ("employee_id.user_id", "in", candidates.ids), ("state", "=", "validate"),
                ("request_date_from", "<=", date_to), ("request_date_to", ">=", date_from),
            ]).employee_id.user_id
            candidates -= away
        return candidates[:1]
