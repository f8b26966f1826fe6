from werkzeug.exceptions import Forbidden

from odoo import _, http
from odoo.http import request

from odoo.addons.web.controllers.vcard import Partner


class ClientGuardVcard(Partner):
    """Contacts > Action > Download (vCard) hands out a file of contact
    details for many clients at once: an export. A user under Client Guard
    needs the export right for it (as for any export); what goes into each
    vCard passes the door of contact details and is counted there
    (``res.partner._build_vcard``)."""

    @http.route()
    def download_vcard(self, partner_ids=None, partner=None, **kwargs):
        ids = [int(pid) for pid in (partner_ids or "").split(",") if pid.strip().isdigit()]
        partners = request.env["res.partner"].browse(ids) | (partner or request.env["res.partner"])
        user = request.env.user
        if partners and user._client_guard_is_protected() and not user.has_group("base.group_allow_export"):
            request.env["client_guard.security.event"].sudo()._log_refusal(
                "export_refused", _("vCard download of %s contact(s) refused.", len(partners)),
                model="res.partner", res_ids=partners.ids[:200])
            raise Forbidden(_("You don't have the rights to export data. Please contact an Administrator."))
        partners.check_access("read")
        return super().download_vcard(partner_ids=partner_ids, partner=partner, **kwargs)
