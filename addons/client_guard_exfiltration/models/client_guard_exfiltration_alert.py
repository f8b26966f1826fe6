from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class ClientGuardExfiltrationAlert(models.Model):
    _name = "client_guard.exfiltration.alert"
    _description = "Client Guard: Many Clients Read"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True, ondelete="cascade")
    state = fields.Selection(
        [("alerted", "Alerted"), ("blocked", "Blocked"), ("released", "Released")],
        required=True,
        default="alerted",
        readonly=True,
        tracking=True,
        help="Alerted: the user read more clients than the alert threshold. Blocked: more than the "
        "blocking threshold; their reads of clients are refused until an officer releases them.",
    )
    read_count = fields.Integer(
        string="Clients Read", readonly=True, help="Distinct clients read in the window when the alert was raised."
    )
    window_minutes = fields.Integer(string="Window (minutes)", readonly=True)
    alert_count = fields.Integer(string="Alert Above", readonly=True)
    block_count = fields.Integer(string="Block Above", readonly=True)
    alerted_on = fields.Datetime(readonly=True, default=fields.Datetime.now)
    blocked_on = fields.Datetime(readonly=True)
    released_by = fields.Many2one("res.users", readonly=True, ondelete="set null")
    released_on = fields.Datetime(readonly=True)

    def init(self):
        # at most one blocked alert per user: the hot path checks it with this index
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS client_guard_exfiltration_alert_blocked_user_uniq "
            "ON client_guard_exfiltration_alert (user_id) WHERE state = 'blocked'"
        )

    @api.depends("user_id", "state")
    def _compute_display_name(self):
        for alert in self:
            alert.display_name = _("Client reads of %s", alert.user_id.name or "?")

    # ------------------------------------------------------------------
    # Raised by the read counter (superuser, guard transaction)
    # ------------------------------------------------------------------
    @api.model
    def _officers(self):
        group = self.env.ref("client_guard.group_security_officer")
        return group.users.filtered(lambda u: u.active and not u.share)

    @api.model
    def _escalate(self, uid, count, limits, state):
        """Alert (``state`` = 'alerted') or block (``state`` = 'blocked') ``uid``
        who read ``count`` distinct clients. One alert per episode: an open
        alert of the window is reused and escalated to blocked."""
        window, alert_count, block_count = limits
        now = fields.Datetime.now()
        alert = self.search([
            ("user_id", "=", uid),
            "|", ("state", "=", "blocked"),
            "&", ("state", "=", "alerted"), ("alerted_on", ">=", now - timedelta(minutes=window)),
        ], limit=1)
        if alert and (alert.state == "blocked" or state == "alerted"):
            return alert
        user = self.env["res.users"].browse(uid)
        values = {"read_count": count, "window_minutes": window, "alert_count": alert_count,
                  "block_count": block_count, "state": state}
        if state == "blocked":
            values["blocked_on"] = now
        if alert:
            alert.write(values)
        else:
            alert = self.create(dict(values, user_id=uid))
        Event = self.env["client_guard.security.event"]
        event_type = "read_blocked" if state == "blocked" else "read_alert"
        officers = self._officers()
        # written for the officers who read it, not in the language of the user who read too much
        langs = [officer.lang for officer in officers if officer.lang]
        lang = (max(set(langs), key=langs.count) if langs else None) or self.env.company.partner_id.lang or "en_US"
        summary = alert.with_context(lang=lang)._escalation_summary(user, count, window, state)
        Event.create(Event._refusal_values(event_type, summary, user_id=uid, model="res.partner"))
        alert.with_context(lang=lang).message_post(body=summary, subtype_xmlid="mail.mt_note")
        for officer in officers:
            officer_alert = alert.with_context(lang=officer.lang or lang)
            officer_env = officer_alert.env
            officer_alert.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=officer.id,
                summary=officer_alert._escalation_summary(user, count, window, state),
                note=officer_env._(
                    "Check what the user read (Clients Read) and release them if the reads were legitimate.")
                if state == "blocked" else officer_env._("Check what the user read (Clients Read)."),
            )
        return alert

    def _escalation_summary(self, user, count, window, state):
        if state == "blocked":
            return self.env._("%(user)s blocked: %(count)s clients read in %(window)s minutes",
                              user=user.name, count=count, window=window)
        return self.env._("%(user)s read %(count)s clients in %(window)s minutes",
                          user=user.name, count=count, window=window)

    # ------------------------------------------------------------------
    # Officer's actions
    # ------------------------------------------------------------------
    def action_release(self):
        """Lift the block (or close the alert) and reset the user's window."""
        if not self.env.su and not self.env.user.has_group("client_guard.group_security_officer"):
            self.env["client_guard.security.event"]._log_refusal(
                "write_refused", _("Release of a blocked user refused."), model=self._name, res_ids=self.ids)
            raise AccessError(_("Only a security officer can release a user."))
        alerts = self.filtered(lambda a: a.state in ("alerted", "blocked"))
        if not alerts:
            return True
        self.env.cr.execute(
            "DELETE FROM client_guard_exfiltration_mark WHERE user_id = ANY(%s)", [alerts.user_id.ids])
        self.env["client_guard.exfiltration.mark"].invalidate_model()
        alerts.sudo().write({"state": "released", "released_by": self.env.uid, "released_on": fields.Datetime.now()})
        Event = self.env["client_guard.security.event"].sudo()
        for alert in alerts:
            message = _("%(user)s released by %(officer)s; their count of clients read starts again from zero.",
                        user=alert.user_id.name, officer=self.env.user.name)
            alert.sudo().message_post(body=message, subtype_xmlid="mail.mt_note")
            Event.create(Event._refusal_values("read_released", message, user_id=alert.user_id.id,
                                               model=self._name, res_ids=alert.ids))
        alerts.sudo().activity_ids.action_feedback(feedback=_("Released"))
        return True

    def action_view_reads(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Clients Read by %s", self.user_id.name),
            "res_model": "client_guard.exfiltration.mark",
            "view_mode": "list",
            "domain": [("user_id", "=", self.user_id.id)],
        }
