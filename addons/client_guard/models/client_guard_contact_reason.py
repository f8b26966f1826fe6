from odoo import api, fields, models


class ClientGuardContactReason(models.Model):
    """How a client came to us (a call, the website, a recommendation, an
    exhibition...): a list the administrators keep."""

    _name = "client_guard.contact.reason"
    _description = "Reason of Contact"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("name_unique", "unique(name)", "A reason of contact with this name already exists."),
    ]

    @api.model
    def _demo_assign_to_clients(self):
        """Demo data: give the demo clients a reason of contact each."""
        reasons = self.search([])
        clients = self.env["res.partner"].sudo().with_context(active_test=False).search(
            [("is_company", "=", True), ("is_client", "=", True), ("contact_reason_id", "=", False)], order="id")
        for index, reason in enumerate(reasons):
            clients[index::len(reasons)].write({"contact_reason_id": reason.id})
