from odoo import fields, models


class PbxCallDeletion(models.Model):
    _name = "pbx.call.deletion"
    _description = "Trace of a Deleted Call"
    _order = "id desc"

    call_id = fields.Integer(string="Call ID", readonly=True)
    uniqueid = fields.Char(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True, ondelete="set null")
    user_id = fields.Many2one("res.users", string="Employee", readonly=True, ondelete="set null")
    start = fields.Datetime(readonly=True)
    external_number = fields.Char(readonly=True)
    deleted_by_id = fields.Many2one("res.users", readonly=True, ondelete="set null")
    data = fields.Text(string="Deleted Data", readonly=True)
