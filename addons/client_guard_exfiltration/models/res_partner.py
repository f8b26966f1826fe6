from odoo import _, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    _inherit = "res.partner"

    @staticmethod
    def _client_guard_stored_ids(ids):
        """The stored records among ``ids``: a form's new (unsaved) records
        carry a NewId, which counts as its origin when it has one (an edited
        client) and not at all otherwise (a client being created)."""
        stored = (rid if isinstance(rid, int) else getattr(rid, "origin", None) for rid in ids)
        return [rid for rid in stored if rid]

    def _client_guard_count_reads(self, partner_ids):
        """Called by the door of contact details (``_client_guard_detail_access``)
        whenever the details of clients leave the server, whatever the path
        (read, list, export, onchange, an opportunity's e-mail, a call's
        number, a group of a ``read_group``, a vCard, a report): count the
        clients among ``partner_ids`` as read by the current user; refuse
        when the user is (or just got) blocked. Reads of names only
        (autocomplete, labels) return no details and are not counted."""
        uid = self.env.uid
        limits = self.env["res.users"]._client_guard_read_limits(uid)
        partner_ids = self._client_guard_stored_ids(partner_ids)
        if not limits or not partner_ids:
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
