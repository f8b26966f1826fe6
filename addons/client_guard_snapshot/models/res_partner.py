from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    client_guard_restored_from_id = fields.Integer(
        string="Restored from ID",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="ID of the deleted partner this one was re-created from, out of a client base snapshot.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("client_guard_restored_from_id") for vals in vals_list):
            raise UserError(_("Only the snapshot restore sets “Restored from ID”."))
        return super().create(vals_list)

    def write(self, vals):
        if "client_guard_restored_from_id" in vals and not self.env.su:
            raise UserError(_("Only the snapshot restore sets “Restored from ID”."))
        return super().write(vals)
