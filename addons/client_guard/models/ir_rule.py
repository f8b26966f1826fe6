from odoo import _, models


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _make_access_error(self, operation, records):
        """Log the request of a private client. Odoo builds this error only on
        the refusal path (reads, writes, ``check_access``), so the normal path
        pays nothing."""
        if records._name == "res.partner" and records:
            private = records.sudo().with_context(active_test=False).filtered("is_private")
            if private:
                self.env["client_guard.security.event"]._log_refusal(
                    "private_refused",
                    _("Access (%(operation)s) to private client(s) %(clients)s refused.",
                      operation=operation, clients=", ".join(private[:20].mapped("display_name"))),
                    model="res.partner",
                    res_ids=private.ids[:200],
                )
        return super()._make_access_error(operation, records)
