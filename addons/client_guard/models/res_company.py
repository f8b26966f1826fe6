from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    client_guard_mask_details = fields.Boolean(
        string="Mask Clients' Contact Details for Salespeople",
        help="Salespeople under Client Guard (heads who manage curators excepted) see the phones and "
        "e-mails of their clients masked (+7 903 ***-**-45, i***@d***.ru) and no address; calls are "
        "still placed and matched by the PBX on the server.",
    )
