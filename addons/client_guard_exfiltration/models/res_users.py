from odoo import SUPERUSER_ID, api, fields, models, tools


class ResUsers(models.Model):
    _inherit = "res.users"

    client_guard_integration = fields.Boolean(
        string="Integration User",
        help="Technical account of an integration (PBX, telephony, synchronisation): "
        "its reads of clients are not counted by the exfiltration guard (same as the group "
        "Integration user).",
    )

    def write(self, vals):
        result = super().write(vals)
        if "client_guard_integration" in vals:
            self.env.registry.clear_cache()
        return result

    @api.model
    @tools.ormcache("uid")
    def _client_guard_read_limits(self, uid):
        """(window minutes, alert count, block count) for ``uid``, or None when
        the user's reads are not counted: superuser, users outside Client
        Guard, integration users, users with no threshold row. A user in
        several groups gets the most permissive row (highest blocking
        threshold, then highest alert threshold)."""
        if uid == SUPERUSER_ID:
            return None
        user = self.sudo().browse(uid)
        if (
            not user.exists()
            or user.client_guard_integration
            or not user._client_guard_is_protected()
            or user.has_group("client_guard_exfiltration.group_integration")
        ):
            return None
        rows = self.env["client_guard.exfiltration.threshold"].sudo().search(
            [("group_id", "in", user.groups_id.ids)])
        if not rows:
            return None
        best = max(rows, key=lambda row: (row.block_count, row.alert_count, row.window_minutes * -1))
        return (best.window_minutes, best.alert_count, best.block_count)
