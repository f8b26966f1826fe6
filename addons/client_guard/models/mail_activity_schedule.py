from odoo import api, fields, models


class MailActivitySchedule(models.TransientModel):
    _inherit = "mail.activity.schedule"

    client_guard_self_only = fields.Boolean(
        compute="_compute_client_guard_self_only",
        help="Technical: the user may plan activities only for themself (the form offers only them).",
    )

    @api.depends_context("uid")
    def _compute_client_guard_self_only(self):
        self.client_guard_self_only = self.env["mail.activity"]._client_guard_plans_for_self_only()
