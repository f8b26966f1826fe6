from odoo import _, models
from odoo.exceptions import UserError


class Base(models.AbstractModel):
    _inherit = "base"

    def export_data(self, fields_to_export):
        """Users under Client Guard export only with ``base.group_allow_export``,
        administrators included (Odoo exempts administrators)."""
        user = self.env.user
        if (
            not self.env.su
            and user._client_guard_is_protected()
            and not user.has_group("base.group_allow_export")
        ):
            self.env["client_guard.security.event"]._log_refusal(
                "export_refused", self._client_guard_export_message(), model=self._name, res_ids=self.ids[:200]
            )
            raise UserError(
                _("You don't have the rights to export data. Please contact an Administrator.")
            )
        if not self.env.su and not (self.env.is_admin() or user.has_group("base.group_allow_export")):
            self.env["client_guard.security.event"]._log_refusal(
                "export_refused", self._client_guard_export_message(), model=self._name, res_ids=self.ids[:200]
            )
        return super().export_data(fields_to_export)

    def _client_guard_export_message(self):
        """The security log's words for an export of these records: how many,
        and of what, by the model's name in the user's language."""
        model = self.env["ir.model"]._get(self._name).with_context(lang=self.env.lang).name or self._name
        return _("Export of %(count)s records (%(model)s) refused.", count=len(self), model=model)

    def _client_guard_with_defaults(self, vals, fnames):
        """``vals`` completed, for ``fnames``, with the caller's
        ``default_<field>`` context keys: create() applies them after the
        suite's checks have looked at ``vals``, so a check that reads only
        ``vals`` is loosened by any caller who puts them in the context."""
        context = self.env.context
        return {
            **{fname: context[f"default_{fname}"] for fname in fnames if f"default_{fname}" in context},
            **vals,
        }

    def _client_guard_field_label(self, fname):
        """The label of field ``fname`` in the reader's language, for messages
        (``field.string`` is the English source)."""
        env = self.env
        if not env.lang and env.user.lang:
            env = env(context=dict(env.context, lang=env.user.lang))
        return self._fields[fname]._description_string(env)
