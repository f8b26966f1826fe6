from odoo import fields, models


class CuratorTransferWizardDepartment(models.TransientModel):
    _name = "curator.transfer.wizard.department"
    _description = "Successor per Department"

    wizard_id = fields.Many2one("curator.transfer.wizard", required=True, ondelete="cascade")
    team_id = fields.Many2one("crm.team", string="Department", required=True)
    user_id = fields.Many2one("res.users", string="Successor", domain="[('share', '=', False)]")
    client_count = fields.Integer(string="Clients", readonly=True)
