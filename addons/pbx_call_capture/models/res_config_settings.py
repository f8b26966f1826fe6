import pytz

from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    @api.model
    def _tz_selection(self):
        return [(tz, tz) for tz in pytz.common_timezones]

    pbx_timezone = fields.Selection(
        "_tz_selection", string="PBX time zone", config_parameter="pbx_call_capture.timezone",
        help="Time zone of the times the PBX reports without an offset.")
    pbx_timezone_default = fields.Char(
        string="Default PBX time zone", compute="_compute_pbx_timezone_default",
        help="The zone used while the PBX time zone is empty: the company's, else UTC.")
    pbx_unknown_caller = fields.Selection(
        [("client", "Create a client"), ("lead", "Create a lead")],
        string="Unknown callers", config_parameter="pbx_call_capture.unknown_caller", default="client")

    @api.depends("company_id")
    def _compute_pbx_timezone_default(self):
        for settings in self:
            settings.pbx_timezone_default = (settings.company_id or self.env.company).partner_id.tz or "UTC"
