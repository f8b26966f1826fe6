from odoo import _, api, models
from odoo.exceptions import UserError

PROTECTED_DATES = ("date_open", "date_closed", "date_deadline")


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def _client_guard_protected(self):
        return not self.env.su and self.env.user._client_guard_is_protected()

    def _client_guard_refuse(self, group_xmlid, message):
        if self.env.user.has_group(group_xmlid):
            return
        self.env["client_guard.security.event"]._log_refusal(
            "write_refused", message, model=self._name, res_ids=self.ids
        )
        raise UserError(
            _("%(message)s\nMissing right: %(right)s.", message=message, right=self.env.ref(group_xmlid).name)
        )

    def _client_guard_check_partners(self, partner_ids):
        """An opportunity shows its client's name, e-mail and phone: a user
        under Client Guard may only link it to clients they can read."""
        partners = self.env["res.partner"].browse({pid for pid in partner_ids if pid}).exists()
        partners.check_access("read")

    @api.model_create_multi
    def create(self, vals_list):
        if self._client_guard_protected():
            # the caller's default_* context keys count as values
            effective = [self._client_guard_with_defaults(vals, ("partner_id", "user_id")) for vals in vals_list]
            self._client_guard_check_partners([vals.get("partner_id") for vals in effective])
            for vals in effective:
                if vals.get("user_id") and vals["user_id"] != self.env.uid:
                    self._client_guard_refuse(
                        "client_guard.group_plan_for_others",
                        _("You cannot assign an opportunity to another user."),
                    )
        return super().create(vals_list)

    def write(self, vals):
        if self._client_guard_protected():
            if vals.get("partner_id"):
                self._client_guard_check_partners([vals["partner_id"]])
            if vals.get("user_id") and vals["user_id"] != self.env.uid and any(
                lead.user_id.id != vals["user_id"] for lead in self
            ):
                self._client_guard_refuse(
                    "client_guard.group_plan_for_others",
                    _("You cannot assign an opportunity to another user."),
                )
            for fname in PROTECTED_DATES:
                if fname not in vals:
                    continue
                field = self._fields[fname]
                new = field.convert_to_cache(vals[fname], self)
                if any(field.convert_to_cache(lead[fname], lead) != new for lead in self):
                    self._client_guard_refuse(
                        "client_guard.group_manage_curators",
                        _("You are not allowed to change the date “%s” of an opportunity.",
                          self._client_guard_field_label(fname)),
                    )
        return super().write(vals)
