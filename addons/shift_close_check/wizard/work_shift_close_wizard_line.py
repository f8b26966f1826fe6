from odoo import _, api, fields, models
from odoo.exceptions import AccessError


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

    @api.constrains("wizard_id", "call_id")
    def _check_call_of_the_shift(self):
        """The lines show a call's number and client (related fields, read as
        superuser): they hold only calls of the wizard's shift that still need a
        note, whatever the caller sent."""
        for wizard in self.wizard_id:
            wizard._check_own_shift()
            calls = wizard.shift_id._calls_needing_note()
            if self.filtered(lambda line, w=wizard: line.wizard_id == w).call_id - calls:
                raise AccessError(_("The lines of the closing wizard are the calls of your shift that need a "
                                    "note; other calls cannot be added."))
