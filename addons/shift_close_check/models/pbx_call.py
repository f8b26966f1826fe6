from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.pbx_call_capture.note_text import visible_length, visible_text


class PbxCall(models.Model):
    _inherit = "pbx.call"

    note_reminder_sent = fields.Boolean(readonly=True, copy=False)
    shift_id = fields.Many2one(
        "work.shift", string="Checked in Shift", readonly=True, index=True, copy=False, ondelete="set null",
        help="The shift whose close check took this call in. Empty while the call waits for a check: "
             "the next close of its employee's shift checks it.")
    reported_after_close = fields.Boolean(
        readonly=True, copy=False,
        help="The PBX reported the call after its employee had closed the shift it belongs to in time: "
             "the next shift's check takes it.")

    @api.model_create_multi
    def create(self, vals_list):
        self._shift_mark_reported_after_close(vals_list)
        calls = super().create(vals_list)
        # the first call of the day opens the employee's shift
        self.env["work.shift"].sudo()._ensure_open(calls.user_id)
        return calls

    def write(self, vals):
        if ("note" in vals or "reason_id" in vals) and not self.env.su:
            self._check_closed_shift_notes(vals)
        return super().write(vals)

    @api.model
    def _shift_mark_reported_after_close(self, vals_list):
        """Flag the calls that started before their employee's last closed shift
        ended: the PBX reported them late, after that close."""
        user_ids = list({vals["user_id"] for vals in vals_list if vals.get("user_id")})
        if not user_ids:
            return
        self.env["work.shift"].flush_model(["user_id", "state", "date_end"])
        self.env.cr.execute(
            "SELECT user_id, max(date_end) FROM work_shift WHERE user_id = ANY(%s) AND state != 'open' "
            "GROUP BY user_id", [user_ids])
        last_close = dict(self.env.cr.fetchall())
        for vals in vals_list:
            closed_at = last_close.get(vals.get("user_id"))
            start = fields.Datetime.to_datetime(vals.get("start"))
            if closed_at and start and start <= closed_at:
                vals["reported_after_close"] = True

    # ------------------------------------------------------------------
    # Notes checked by a closed shift
    # ------------------------------------------------------------------
    def _in_closed_shift(self):
        """The calls of ``self`` that a closed (or force-closed) shift checked:
        their notes were what the closing took in."""
        return self.sudo().filtered(lambda call: call.shift_id and call.shift_id.state != "open")

    def _check_closed_shift_notes(self, vals):
        """Once the shift that checked a call is closed, its note can be added
        to but not removed, emptied or shortened, and its reason not cleared."""
        checked = self._in_closed_shift()
        if not checked:
            return
        new_note = vals.get("note") if "note" in vals else None
        for call in checked:
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
