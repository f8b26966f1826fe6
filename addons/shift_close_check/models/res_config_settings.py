from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    shift_min_call_duration = fields.Integer(related="company_id.shift_min_call_duration", readonly=False)
    shift_min_note_length = fields.Integer(related="company_id.shift_min_note_length", readonly=False)
    shift_require_reason = fields.Boolean(related="company_id.shift_require_reason", readonly=False)
    shift_count_missed = fields.Boolean(related="company_id.shift_count_missed", readonly=False)
    shift_reminder_minutes = fields.Integer(related="company_id.shift_reminder_minutes", readonly=False)
    shift_lookback_days = fields.Integer(related="company_id.shift_lookback_days", readonly=False)
    client_required_field_ids = fields.Many2many(related="company_id.client_required_field_ids", readonly=False)
