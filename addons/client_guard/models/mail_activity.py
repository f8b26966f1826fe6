from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MailActivity(models.Model):
    _inherit = "mail.activity"

    client_guard_self_only = fields.Boolean(
        compute="_compute_client_guard_self_only",
        help="Technical: the user may plan activities only for themself (the form offers only them).",
    )

    @api.model
    def _client_guard_plans_for_self_only(self):
        user = self.env.user
        return (not self.env.su and user._client_guard_is_protected()
                and not user.has_group("client_guard.group_plan_for_others"))

    @api.depends_context("uid")
    def _compute_client_guard_self_only(self):
        self.client_guard_self_only = self._client_guard_plans_for_self_only()

    def _client_guard_check_plan(self, user_id):
        if (
            self.env.su
            or not user_id
            or user_id == self.env.uid
            or not self.env.user._client_guard_is_protected()
            or self.env.user.has_group("client_guard.group_plan_for_others")
        ):
            return
        message = _("You cannot plan activities for another user.")
        self.env["client_guard.security.event"]._log_refusal(
            "write_refused", message, model=self._name, res_ids=self.ids
        )
        raise UserError(
            _(
                "%(message)s\nMissing right: %(right)s.",
                message=message,
                right=self.env.ref("client_guard.group_plan_for_others").name,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # the caller's default_user_id counts as a value
            self._client_guard_check_plan(self._client_guard_with_defaults(vals, ("user_id",)).get(
                "user_id", self.env.uid))
        return super().create(vals_list)

    def write(self, vals):
        if "user_id" in vals:
            self.filtered(lambda a: a.user_id.id != vals["user_id"])._client_guard_check_plan(vals["user_id"])
        elif "date_deadline" in vals:
            for activity in self:
                activity._client_guard_check_plan(activity.user_id.id)
        return super().write(vals)
