from odoo import _, api, models
from odoo.exceptions import UserError


class ResPartnerCategory(models.Model):
    _inherit = "res.partner.category"

    def _client_guard_check(self):
        user = self.env.user
        if (
            not self.env.su
            and user._client_guard_is_protected()
            and not user.has_group("client_guard.group_manage_curators")
        ):
            raise UserError(
                _(
                    "Client tags are shared by the whole company: you are not allowed to change them.\n"
                    "Missing right: %s.",
                    self.env.ref("client_guard.group_manage_curators").name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._client_guard_check()
        return super().create(vals_list)

    def write(self, vals):
        self._client_guard_check()
        return super().write(vals)

    def unlink(self):
        self._client_guard_check()
        return super().unlink()
