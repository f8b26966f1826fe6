from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    curator_transfer_allow_archive = fields.Boolean(
        string="Archive users who still curate clients",
        config_parameter="curator_transfer.allow_archive_with_clients",
        help="By default, archiving a user who still curates clients is refused and the transfer "
        "wizard is offered instead.",
    )
