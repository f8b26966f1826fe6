from odoo import models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "client_guard.audit.mixin"]

    def _audit_clients(self):
        return {partner.id: partner.commercial_partner_id for partner in self}
