from odoo import fields, models


class WorkShiftForceCloseWizard(models.TransientModel):
    _name = "work.shift.force.close.wizard"
    _description = "Force-close a Shift"

    shift_id = fields.Many2one("work.shift", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        return self.shift_id.action_force_close(self.reason)
