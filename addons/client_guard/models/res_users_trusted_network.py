import ipaddress

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResUsersTrustedNetwork(models.Model):
    _name = "res.users.trusted.network"
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
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        if vals.get("network"):
            vals["network"] = vals["network"].strip()
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
