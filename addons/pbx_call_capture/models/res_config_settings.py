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
    pbx_unknown_caller = fields.Selection(
        [("client", "Create a client"), ("lead", "Create a lead")],
        string="Unknown callers", config_parameter="pbx_call_capture.unknown_caller", default="client")
