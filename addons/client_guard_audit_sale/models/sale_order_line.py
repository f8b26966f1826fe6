from odoo import api, models


class SaleOrderLine(models.Model):
    """A line's change moves its order's amounts: remember the order's
    audited computed values (its amounts) too, so that the order's total
    before and after is logged."""

    _name = "sale.order.line"
    _inherit = ["sale.order.line", "client_guard.audit.mixin"]

    # the order's audited fields that its lines' changes may recompute
    _audit_order_vals = {"order_line": True}

    @api.model_create_multi
    def create(self, vals_list):
        order_ids = {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        self.env["sale.order"].browse(order_ids)._audit_prepare(vals=self._audit_order_vals)
        return super().create(vals_list)

    def write(self, vals):
        self.order_id._audit_prepare(vals=self._audit_order_vals)
        return super().write(vals)

    def unlink(self):
        self.order_id._audit_prepare(vals=self._audit_order_vals)
        return super().unlink()

    def _audit_clients(self):
        return {line.id: line.order_id.partner_id.commercial_partner_id for line in self}
