# pylint: disable=consider-merging-classes-inherited
# (kept apart from the main class of the model: the door of contact details)
from odoo import api, models

from .contact_details import FULL, MASKED, NONE


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _client_guard_detail_level(self, uid):
        """How ``uid`` sees the contact details of the clients they may read:
        ``full``, ``masked`` or ``none``. A right of its own, independent of
        the visibility level: "no contact details" or "masked contact
        details" on the user, or the company's choice to mask them for
        salespeople under Client Guard (heads who manage curators excepted)."""
        user = self.sudo().browse(uid)
        if user.has_group("client_guard.group_contact_details_none"):
            return NONE
        if user.has_group("client_guard.group_contact_details_masked"):
            return MASKED
        # the groups first (cached): the company is read only for users it may concern
        if not user._client_guard_is_protected() or user.has_group("client_guard.group_manage_curators"):
            return FULL
        # the user's companies from Odoo's cache (``user.company_ids`` is a query on every request)
        company = self.env.company if self.env.company.id in user._get_company_ids() else user.company_id
        return MASKED if company.client_guard_mask_details else FULL
