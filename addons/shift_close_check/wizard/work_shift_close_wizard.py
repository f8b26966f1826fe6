from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class WorkShiftCloseWizard(models.TransientModel):
    _name = "work.shift.close.wizard"
    _description = "Close the Shift"

    shift_id = fields.Many2one("work.shift", required=True, readonly=True)
    line_ids = fields.One2many("work.shift.close.wizard.line", "wizard_id", string="Calls Needing a Note")
    message = fields.Char(readonly=True)

    def _check_own_shift(self):
        """Only the employee closes their shift: nobody opens the wizard on
        someone else's shift (its lines would show their calls)."""
        for wizard in self:
            if not self.env.su and wizard.shift_id.user_id != self.env.user:
                raise AccessError(_("Only the employee closes their own shift."))

    @api.constrains("shift_id")
    def _check_shift_id(self):
        self._check_own_shift()

    @api.model
    def _action_open(self, shift, calls):
        wizard = self.create({
            "shift_id": shift.id,
            "message": _("%(count)s calls still need notes before the shift can be closed; a note has at least "
                         "%(min)s characters.", count=len(calls),
                         min=max((shift.user_id.company_id or self.env.company).shift_min_note_length, 1)),
            "line_ids": [(0, 0, {"call_id": c.id, "note": c.note, "reason_id": c.reason_id.id}) for c in calls],
        })
        return {
            "type": "ir.actions.act_window",
            "name": _("Close the shift"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_confirm(self):
        """Save the notes on the calls (as the employee: only their own calls),
        then close; the close still refuses if anything is missing."""
        self.ensure_one()
        for line in self.line_ids:
            values = {}
            if (line.note or "") != (line.call_id.note or ""):
                values["note"] = line.note
            if line.reason_id != line.call_id.reason_id:
                values["reason_id"] = line.reason_id.id
            if values:
                line.call_id.write(values)
        return self.shift_id.with_context(shift_close_wizard=False).action_close()
