from odoo import models


class MergePartnerAutomatic(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        """The wizard moves the records of the merged partners to the one kept
        in SQL: their opportunities keep the copies of the former client's
        visibility key, curator and private flag unless copied again."""
        result = super()._update_foreign_keys(src_partners, dst_partner)
        self.env["crm.lead"].sudo()._client_guard_sync_partner_copies(dst_partner.ids)
        return result
