from odoo import fields, models


class WorkShiftCloseWizardLine(models.TransientModel):
    _name = "work.shift.close.wizard.line"
    _description = "Call to Note Before Closing the Shift"

    wizard_id = fields.Many2one("work.shift.close.wizard", required=True, ondelete="cascade")
    call_id = fields.Many2one("pbx.call", required=True, readonly=True)
    start = fields.Datetime(related="call_id.start")
    external_number = fields.Char(related="call_id.external_number")
    partner_id = fields.Many2one(related="call_id.partner_id")
    disposition = fields.Selection(related="call_id.disposition")
    billsec = fields.Integer(related="call_id.billsec")
    note = fields.Text()
    reason_id = fields.Many2one("pbx.call.reason", string="Call Reason")
