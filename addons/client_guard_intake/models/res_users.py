from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _compute_client_guard_deputy_for_ids(self):
        """Curators whose period with this user as deputy is in progress: the
        record rules put them next to the user (cache cleared when a period
        starts or ends)."""
        periods = self.env["curator.deputy"].sudo().search(
            [("deputy_id", "in", self.ids), ("state", "=", "active")])
        for user in self:
            user.client_guard_deputy_for_ids = periods.filtered(lambda p, u=user: p.deputy_id == u).curator_id
