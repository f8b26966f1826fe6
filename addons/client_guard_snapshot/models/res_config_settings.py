from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    client_guard_snapshot_retention_days = fields.Integer(
        string="Keep client base snapshots (days)",
        config_parameter="client_guard_snapshot.retention_days",
        default=30,
        help="The nightly job deletes snapshots older than this; 0 keeps them all.",
    )

    @api.constrains("client_guard_snapshot_retention_days")
    def _check_client_guard_snapshot_retention_days(self):
        for settings in self:
            if settings.client_guard_snapshot_retention_days < 0:
                raise ValidationError(_("The number of days to keep client base snapshots cannot be negative."))
