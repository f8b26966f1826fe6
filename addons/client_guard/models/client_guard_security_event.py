import logging
import threading
from collections import Counter
from datetime import timedelta

from odoo import api, fields, models
from odoo.http import request

_logger = logging.getLogger(__name__)


class ClientGuardSecurityEvent(models.Model):
    _name = "client_guard.security.event"
    _description = "Client Guard Security Event"
    _order = "id desc"

    user_id = fields.Many2one("res.users", index=True, readonly=True, ondelete="set null")
    event_type = fields.Selection(
        [
            ("login_refused", "Login refused (untrusted network)"),
            ("session_ended", "Session ended (untrusted network)"),
            ("rpc_refused", "RPC refused (untrusted network)"),
            ("export_refused", "Export refused"),
            ("write_refused", "Change refused"),
            ("private_refused", "Private client requested"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    ip_address = fields.Char(string="IP Address", readonly=True)
    model = fields.Char(readonly=True)
    res_ids = fields.Char(string="Record IDs", readonly=True)
    details = fields.Text(readonly=True)

    @api.model
    def _refusal_values(self, event_type, details, user_id=None, model=None, res_ids=None):
        """Values of a security event for the current request."""
        ip = None
        try:
            ip = request.httprequest.remote_addr if request else None
        except RuntimeError:
            ip = None
        return {
            "user_id": user_id or self.env.uid,
            "event_type": event_type,
            "ip_address": ip,
            "model": model,
            "res_ids": ",".join(map(str, res_ids or []))[:2000] or False,
            "details": details,
        }

    @api.model
    def _log_change(self, event_type, details, user_id=None, model=None, res_ids=None):
        """Store an event that describes a change made by the current
        transaction (a user created or given rights): it is written and
        rolled back with that change. :meth:`_log_refusal`'s own transaction
        could not refer to a user this transaction has just created."""
        values = self._refusal_values(event_type, details, user_id=user_id, model=model, res_ids=res_ids)
        _logger.info("Client Guard event: %s", values)
        return self.sudo().create(values)

    @api.model
    def _log_refusal(self, event_type, details, user_id=None, model=None, res_ids=None):
        """Store a refusal in its own transaction, so that it survives the
        rollback of the refused operation."""
        values = self._refusal_values(event_type, details, user_id=user_id, model=model, res_ids=res_ids)
        _logger.info("Client Guard refusal: %s", values)
        if self.env.registry.in_test_mode() or getattr(threading.current_thread(), "testing", False):
            # tests share one cursor: a second one would deadlock or vanish
            if not self.env.cr.readonly:
                with self.env.cr.savepoint():
                    self.sudo().create(values)
            return
        try:
            with self.env.registry.cursor() as cr:
                self.with_env(self.env(cr=cr, su=True)).create(values)
        except Exception:  # pylint: disable=broad-except
            _logger.exception("Could not log the security event %s", values)

    # ------------------------------------------------------------------
    # Daily digest for the security officers
    # ------------------------------------------------------------------
    @api.model
    def _digest_officers(self):
        group = self.env.ref("client_guard.group_security_officer")
        return group.sudo().users.filtered(lambda u: u.active and not u.share and u.partner_id.email)

    @api.model
    def _cron_send_digest(self, hours=24, latest=20):
        """Mail every security officer a summary of the security events of the
        last ``hours``: counts per type and per user, and the latest events.
        Nothing is sent when there was no event. Returns the mails created."""
        since = fields.Datetime.now() - timedelta(hours=hours)
        events = self.sudo().search([("create_date", ">=", since)])
        mails = self.env["mail.mail"].sudo()
        if not events:
            return mails
        for officer in self._digest_officers():
            env = self.with_context(lang=officer.lang or "en_US").sudo().env
            labels = dict(self._fields["event_type"]._description_selection(env))
            per_type = Counter(events.mapped("event_type"))
            per_user = Counter(event.user_id for event in events)
            values = {
                "hours": hours,
                "total": len(events),
                "per_type": [(labels.get(key, key), count) for key, count in per_type.most_common()],
                "per_user": [
                    (user.name if user else env._("Unknown user"), count) for user, count in per_user.most_common()
                ],
                "latest": [
                    {
                        "date": fields.Datetime.context_timestamp(
                            event.with_context(tz=officer.tz or "UTC"), event.create_date
                        ).strftime("%Y-%m-%d %H:%M"),
                        "user": event.user_id.name or "",
                        "type": labels.get(event.event_type, event.event_type),
                        "ip": event.ip_address or "",
                        "details": event.details or "",
                    }
                    for event in events[:latest]
                ],
            }
            body = env["ir.qweb"]._render("client_guard.security_event_digest", values)
            mails |= mails.create({
                "subject": env._("Client base security: %(count)s event(s) in the last %(hours)s hours",
                                 count=len(events), hours=hours),
                "body_html": body,
                "recipient_ids": [(6, 0, officer.partner_id.ids)],
                "email_from": env.company.partner_id.email_formatted or env.ref("base.user_root").email_formatted,
                "auto_delete": False,
            })
        return mails
