from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    client_guard_deputy_by_curator = fields.Boolean(
        string="Curators Name Their Deputies",
        help="Curators may name their own deputy for an absence; otherwise only heads do.")
