from odoo import api, models


class PrivacyLookupWizardLine(models.TransientModel):
    _inherit = "privacy.lookup.wizard.line"

    def _client_guard_target(self):
        self.ensure_one()
        return self.env[self.res_model].with_context(active_test=False).browse(self.res_id)

    def action_unlink(self):
        """Odoo deletes the record as superuser: only if the user may delete it."""
        for line in self:
            if line.res_model in self.env and not line.is_unlinked:
                line._client_guard_target().check_access("unlink")
        return super().action_unlink()

    @api.onchange("is_active")
    def _onchange_is_active(self):
        """Odoo archives the record as superuser: only if the user may change it."""
        for line in self:
            if line.res_model_id and line.res_id and line.res_model in self.env:
                line._client_guard_target().check_access("write")
        return super()._onchange_is_active()
