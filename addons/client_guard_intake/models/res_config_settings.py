from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    client_guard_deputy_by_curator = fields.Boolean(
        related="company_id.client_guard_deputy_by_curator", readonly=False)
