from odoo import fields, models


class ClientGuardSecurityEvent(models.Model):
    _inherit = "client_guard.security.event"

    event_type = fields.Selection(
        selection_add=[
            ("read_alert", "Many clients read (alert)"),
            ("read_blocked", "Client reads blocked"),
            ("read_refused", "Client read refused (blocked user)"),
            ("read_released", "Blocked user released"),
        ],
        ondelete={
            "read_alert": "cascade",
            "read_blocked": "cascade",
            "read_refused": "cascade",
            "read_released": "cascade",
        },
    )
