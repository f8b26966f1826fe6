from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ClientGuardExfiltrationThreshold(models.Model):
    _name = "client_guard.exfiltration.threshold"
    _inherit = ["client_guard.cache.mixin"]  # limits are cached per user
    _description = "Client Guard: Client Read Thresholds"
    _order = "block_count, id"
    _rec_name = "group_id"

    group_id = fields.Many2one(
        "res.groups",
        required=True,
        ondelete="cascade",
        help="The thresholds apply to the members of this group. A user in several groups "
        "gets the most permissive row (the highest blocking threshold).",
    )
    window_minutes = fields.Integer(
        string="Window (minutes)",
        required=True,
        default=60,
        help="Sliding window: only the clients read in the last minutes count.",
    )
    alert_count = fields.Integer(
        string="Alert Above",
        required=True,
        default=300,
        help="Above this number of distinct clients read in the window, the security officers are alerted.",
    )
    block_count = fields.Integer(
        string="Block Above",
        required=True,
        default=1000,
        help="Above this number of distinct clients read in the window, the user's further reads of "
        "clients are refused until a security officer releases them.",
    )

    _sql_constraints = [
        ("group_unique", "unique(group_id)", "There is already a row of thresholds for this group."),
    ]

    @api.constrains("window_minutes", "alert_count", "block_count")
    def _check_counts(self):
        for row in self:
            if row.window_minutes <= 0 or row.alert_count <= 0 or row.block_count <= 0:
                raise ValidationError(_("The window and the thresholds must be positive numbers."))
            if row.alert_count >= row.block_count:
                raise ValidationError(
                    _("The alert threshold (%(alert)s) must be lower than the blocking threshold (%(block)s).",
                      alert=row.alert_count, block=row.block_count)
                )
