from odoo import api, models


class MergePartnerAutomatic(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """The wizard moves the records of the merged partners to the one kept
        in SQL, past the ORM: the opportunities it moved keep the copies of
        their former client's visibility key, curator and private flag (or
        get them back from a computation the ORM had pending) unless copied
        again once the merge is done."""
        result = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        kept = self.env["res.partner"].sudo().with_context(active_test=False).browse(partner_ids).exists()
        self.env["crm.lead"].sudo()._client_guard_sync_partner_copies(kept.ids)
        return result
