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
            partner_ids = self._client_guard_stored_ids([values["id"] for values in result])
            if partner_ids:
                self._client_guard_count_reads(partner_ids)
        return result

    @staticmethod
    def _client_guard_stored_ids(ids):
        """The stored records among ``ids``: a form's new (unsaved) records
        carry a NewId, which counts as its origin when it has one (an edited
        client) and not at all otherwise (a client being created)."""
        stored = (rid if isinstance(rid, int) else getattr(rid, "origin", None) for rid in ids)
        return [rid for rid in stored if rid]

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
            self.env["client_guard.security.event"]._log_refusal(
                "read_refused",
                _("Read of clients refused: the user is blocked (%s clients read).", count),
                model=self._name,
                res_ids=partner_ids[:200],
            )
            raise AccessError(
                _("You have read too many clients in a short time (%(count)s, the limit is %(limit)s): "
                  "reading clients is blocked until a security officer releases you.",
                  count=count, limit=limits[2])
            )
