from odoo import api, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        self.env.registry.clear_cache()  # record rules read users' departments
        return teams

    def write(self, vals):
        result = super().write(vals)
        if {"user_id", "member_ids", "crm_team_member_ids", "active"} & set(vals):
            self.env.registry.clear_cache()
        return result
