from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    pbx_extension = fields.Char(string="PBX Extension", index="btree_not_null", copy=False,
                                help="Internal number of the employee on the PBX: calls are matched to them.")

    _sql_constraints = [
        ("pbx_extension_uniq", "unique (pbx_extension)", "Two users cannot share a PBX extension."),
    ]
