import ipaddress

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResUsersTrustedNetwork(models.Model):
    _name = "res.users.trusted.network"
    _inherit = ["client_guard.cache.mixin"]  # trusted networks are cached per user
    _description = "Trusted Network of a User"
    _order = "user_id, network"

    user_id = fields.Many2one("res.users", required=True, index=True, ondelete="cascade")
    network = fields.Char(
        string="Network (CIDR)", required=True, help="An IPv4 or IPv6 network, e.g. 192.168.1.0/24 or 10.0.0.5."
    )
    name = fields.Char(string="Description")

    @api.constrains("network")
    def _check_network(self):
        for record in self:
            try:
                ipaddress.ip_network((record.network or "").strip(), strict=False)
            except ValueError as exc:
                raise ValidationError(
                    _("“%(network)s” is not a valid IP network (CIDR).", network=record.network)
                ) from exc

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("network"):
                vals["network"] = vals["network"].strip()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("network"):
            vals["network"] = vals["network"].strip()
        return super().write(vals)
