import logging
import threading

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
    def _log_refusal(self, event_type, details, user_id=None, model=None, res_ids=None):
        """Store a refusal in its own transaction, so that it survives the
        rollback of the refused operation."""
        ip = None
        try:
            ip = request.httprequest.remote_addr if request else None
        except RuntimeError:
            ip = None
        values = {
            "user_id": user_id or self.env.uid,
            "event_type": event_type,
            "ip_address": ip,
            "model": model,
            "res_ids": ",".join(map(str, res_ids or []))[:2000] or False,
            "details": details,
        }
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
