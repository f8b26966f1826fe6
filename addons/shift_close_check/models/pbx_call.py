from odoo import api, fields, models


class PbxCall(models.Model):
    _inherit = "pbx.call"

    note_reminder_sent = fields.Boolean(readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        calls = super().create(vals_list)
        self.env["work.shift"].sudo()._ensure_open(calls.user_id)
        return calls

    def _after_register(self):
        # the first call of the day opens the employee's shift
        self.env["work.shift"].sudo()._ensure_open(self.user_id)
        return super()._after_register()
