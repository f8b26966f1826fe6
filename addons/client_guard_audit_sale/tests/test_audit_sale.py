from lxml import etree

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install")
class TestAuditSale(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.seller = new_test_user(
            cls.env, "aus_seller", name="Order Seller",
            groups="base.group_user,client_guard.group_scope_own,sales_team.group_sale_salesman")
        cls.client = cls.env["res.partner"].create({"name": "Order client", "is_company": True,
                                                    "user_id": cls.seller.id})
        cls.product = cls.env["product.product"].create({"name": "Widget", "list_price": 100.0, "taxes_id": False})
        cls.order = cls.env["sale.order"].with_user(cls.seller).create({
            "partner_id": cls.client.id,
            "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": 10, "price_unit": 100.0,
                                   "tax_id": False})],
        })
        cls.order.action_confirm()
        cls.env.flush_all()
        cls.env.cr.flush()  # as the commit of the order's creation would
        cls.Log = cls.env["client_guard.audit.log"]

    def ready_filter(self, name):
        arch = etree.fromstring(self.env.ref("client_guard_audit.client_guard_audit_log_view_search").arch)
        [node] = arch.xpath(f"//filter[@name='{name}']")
        return safe_eval(node.get("domain"))

    def test_order_cut_down_shows_in_amounts_decreased(self):
        line = self.order.order_line.with_user(self.seller)
        line.write({"product_uom_qty": 4})
        self.env.flush_all()
        self.env.cr.flush()
        decreased = self.Log.search([*self.ready_filter("amounts_decreased"), ("client_id", "=", self.client.id)])
        total = decreased.filtered(lambda log: log.model == "sale.order" and log.field_name == "amount_total")
        self.assertEqual(len(total), 1)
        self.assertEqual((total.old_number, total.new_number, total.value_delta), (1000.0, 400.0, -600.0))
        self.assertEqual(total.user_id, self.seller)
        self.assertEqual(total.res_id, self.order.id)
        qty = decreased.filtered(lambda log: log.field_name == "product_uom_qty")
        self.assertEqual((qty.old_value, qty.new_value), ("10.0", "4.0"))
        # raising an amount is not a decrease
        line.write({"product_uom_qty": 6})
        self.env.flush_all()
        self.env.cr.flush()
        self.assertEqual(
            len(self.Log.search([*self.ready_filter("amounts_decreased"), ("client_id", "=", self.client.id)])),
            len(decreased))

    def test_deleted_order_line_keeps_a_copy(self):
        order = self.env["sale.order"].with_user(self.seller).create({
            "partner_id": self.client.id,
            "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 3, "price_unit": 100.0}),
                           (0, 0, {"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 50.0})],
        })
        self.env.flush_all()
        self.env.cr.flush()
        line = order.order_line[1]
        order.with_user(self.seller).write({"order_line": [(2, line.id)]})
        self.env.flush_all()
        self.env.cr.flush()
        deleted = self.Log.search([*self.ready_filter("deleted_on_clients"), ("model", "=", "sale.order.line")])
        self.assertEqual(len(deleted), 1)
        self.assertIn('"price_unit": 50.0', deleted.deleted_copy)
        untaxed = self.Log.search([("model", "=", "sale.order"), ("res_id", "=", order.id),
                                   ("field_name", "=", "amount_untaxed")])
        self.assertEqual(untaxed.value_delta, -50.0)
