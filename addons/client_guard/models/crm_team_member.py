from odoo import models


class CrmTeamMember(models.Model):
    # record rules read users' departments
    _name = "crm.team.member"
    _inherit = ["crm.team.member", "client_guard.cache.mixin"]
