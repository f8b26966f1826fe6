from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    client_guard_audit_retention_days = fields.Integer(
        string="Audit Retention (days)",
        config_parameter="client_guard_audit.retention_days",
        default=365,
        help="Audit log entries older than this are removed every night (0 keeps them all).",
    )
