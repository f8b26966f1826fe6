from collections import defaultdict

from odoo import models


class PrivacyLookupWizard(models.TransientModel):
    _inherit = "privacy.lookup.wizard"

    def action_lookup(self):
        """Odoo's lookup searches every table in SQL: keep only the records
        the user may read (a private client stays hidden from the administrator)."""
        action = super().action_lookup()
        self._client_guard_drop_unreadable_lines()
        return action

    def _client_guard_drop_unreadable_lines(self):
        lines_by_model = defaultdict(lambda: self.env["privacy.lookup.wizard.line"])
        for line in self.line_ids:
            lines_by_model[line.res_model] |= line
        hidden = self.env["privacy.lookup.wizard.line"]
        for model_name, lines in lines_by_model.items():
            if model_name not in self.env:
                hidden |= lines
                continue
            records = self.env[model_name].with_context(active_test=False).browse(lines.mapped("res_id"))
            readable = set(records.exists()._filtered_access("read").ids)
            hidden |= lines.filtered(lambda line, ids=readable: line.res_id not in ids)
        if hidden:
            hidden.sudo().unlink()
