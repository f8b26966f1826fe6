from odoo import fields, models


class PbxCallReason(models.Model):
    _name = "pbx.call.reason"
    _description = "Call Reason"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
