from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _update_last_login(self):
        result = super()._update_last_login()
        # the first login of the day opens the employee's shift
        self.env["work.shift"].sudo()._ensure_open(self.env.user)
        return result
