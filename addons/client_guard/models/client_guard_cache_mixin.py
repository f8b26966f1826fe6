from odoo import api, models


class ClientGuardCacheMixin(models.AbstractModel):
    """Records that record rules or cached settings read (departments, trusted
    networks, audit and guard settings): any change clears the registry's
    caches, so that the next request uses the new values."""

    _name = "client_guard.cache.mixin"
    _description = "Client Guard: settings behind cached rules"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
