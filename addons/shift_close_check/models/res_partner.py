from odoo import _, api, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _shift_required_fields(self):
        if self.env.su or not self.env.user._client_guard_is_protected():
            return self.env["ir.model.fields"]
        return self.env.company.sudo().client_required_field_ids

    @api.model_create_multi
    def create(self, vals_list):
        required = self._shift_required_fields()
        if required:
            for vals in vals_list:
                if vals.get("parent_id"):
                    continue  # contacts: the rule is about clients
                missing = [self._client_guard_field_label(f.name) for f in required
                           if not vals.get(f.name) and f.name in self._fields]
                if missing:
                    raise ValidationError(_(
                        "The client card cannot be saved until these fields are filled: %s.", ", ".join(missing)))
        return super().create(vals_list)

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        result = super().fields_get(allfields, attributes)
        for field in self._shift_required_fields():
            if field.name in result and (attributes is None or "required" in attributes):
                result[field.name]["required"] = True
        return result
