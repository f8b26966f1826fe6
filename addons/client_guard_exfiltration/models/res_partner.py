from odoo import _, models
from odoo.exceptions import AccessError

# A read counts when it returns one of these: a list with contact details, a
# client's form, search_read of all fields, an export. Reads of names only
# (autocomplete, labels of many2one fields) do not count and are never refused.
CONTACT_FIELDS = frozenset({
    "phone", "mobile", "email", "email_formatted", "email_normalized", "phone_sanitized",
    "street", "street2", "zip", "city", "vat", "website", "contact_address", "contact_address_complete",
})


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _read_format(self, fnames, load="_classic_read"):
        # read(), web_read(), search_read() and web_search_read() all end here
        result = super()._read_format(fnames, load=load)
        if result and not self.env.su and CONTACT_FIELDS.intersection(fnames or ()):
            self._client_guard_count_reads([values["id"] for values in result])
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if self and not self.env.su:
            self._client_guard_count_reads(self.ids)
        return result

    def _client_guard_count_reads(self, partner_ids):
        """Count the clients among ``partner_ids`` as read by the current user;
        refuse the read when the user is (or just got) blocked."""
        uid = self.env.uid
        limits = self.env["res.users"]._client_guard_read_limits(uid)
        if not limits:
            return
        _clients, count, refused = self.env["client_guard.exfiltration.mark"]._record_reads(
            uid, partner_ids, limits)
        if refused:
            count, limit = self._client_guard_blocking_figures(uid, count, limits[2])
            self.env["client_guard.security.event"]._log_refusal(
                "read_refused",
                _("Read of clients refused: the user is blocked (%s clients read).", count),
                model=self._name,
                res_ids=partner_ids[:200],
            )
            raise AccessError(
                _("You have read too many clients in a short time (%(count)s, the limit is %(limit)s): "
                  "reading clients is blocked until a security officer releases you.",
                  count=count, limit=limit)
            )

    def _client_guard_blocking_figures(self, uid, count, limit):
        """(clients read, limit) of the read that blocked ``uid``: later refused
        reads count only what is still in the window, which may be below the limit."""
        alert = self.env["client_guard.exfiltration.alert"].sudo().search(
            [("user_id", "=", uid), ("state", "=", "blocked")], order="id desc", limit=1)
        if alert and alert.read_count > count:
            return alert.read_count, alert.block_count or limit
        return count, limit
