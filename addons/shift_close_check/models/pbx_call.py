from odoo import api, fields, models


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
