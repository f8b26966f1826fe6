from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.pbx_call_capture.note_text import visible_length, visible_text


class PbxCall(models.Model):
    _inherit = "pbx.call"

    note_reminder_sent = fields.Boolean(readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        calls = super().create(vals_list)
        self.env["work.shift"].sudo()._ensure_open(calls.user_id)
        return calls

    def write(self, vals):
        if ("note" in vals or "reason_id" in vals) and not self.env.su:
            self._check_closed_shift_notes(vals)
        return super().write(vals)

    def _after_register(self):
        # the first call of the day opens the employee's shift
        self.env["work.shift"].sudo()._ensure_open(self.user_id)
        return super()._after_register()

    # ------------------------------------------------------------------
    # Notes checked by a closed shift
    # ------------------------------------------------------------------
    def _in_closed_shift(self):
        """The calls of ``self`` that a closed (or force-closed) shift of their
        employee covered: their notes were what the closing checked."""
        calls = self.sudo().filtered(lambda c: c.user_id and c.start)
        if not calls:
            return self.browse()
        shifts = self.env["work.shift"].sudo().search([
            ("user_id", "in", calls.user_id.ids), ("state", "!=", "open"),
            ("date_start", "<=", max(calls.mapped("start"))), ("date_end", ">=", min(calls.mapped("start"))),
        ])
        return self.browse([
            call.id for call in calls
            if any(s.user_id == call.user_id and s.date_start <= call.start <= s.date_end for s in shifts)
        ])

    def _check_closed_shift_notes(self, vals):
        """Once the shift that checked a call is closed, its note can be added
        to but not removed, emptied or shortened, and its reason not cleared."""
        checked = self._in_closed_shift()
        if not checked:
            return
        new_note = vals.get("note") if "note" in vals else None
        for call in checked.sudo():
            if "note" in vals:
                old = (call.note or "").strip()
                if old and (old not in (new_note or "") or visible_length(new_note) < visible_length(old)):
                    raise UserError(_(
                        "The shift of the call %(call)s is closed: its note can be added to, not removed or "
                        "shortened.\nKept note: %(note)s",
                        call=call.display_name, note=visible_text(old)))
            if "reason_id" in vals and call.reason_id and not vals["reason_id"]:
                raise UserError(_("The shift of the call %s is closed: its reason cannot be cleared.",
                                  call.display_name))
