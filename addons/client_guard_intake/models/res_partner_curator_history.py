from odoo import fields, models


class ResPartnerCuratorHistory(models.Model):
    _inherit = "res.partner.curator.history"

    kind = fields.Selection(
        [("curator", "Curator"), ("deputy", "Deputy while away")], default="curator",
        help="A deputy line shows who looked after the client while its curator was away "
        "(empty on lines written in bulk: a curator).")
    deputy_period_id = fields.Many2one("curator.deputy", index="btree_not_null",
                                       ondelete="set null")
