import functools

from odoo import api, models
from odoo.osv import expression

# Documents whose followers tell about a client: the client itself and its
# opportunities. Odoo lets every employee read every follower; the followers
# of such a document are hidden from users who cannot read the document.
CLIENT_MODELS = ("res.partner", "crm.lead")


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model
    def _client_guard_domain(self):
        """Followers of other documents, or of clients and opportunities the
        current user can read (sub-queries with the user's record rules)."""
        domain = [("res_model", "not in", CLIENT_MODELS)]
        for model in CLIENT_MODELS:
            readable = self.env[model].with_context(active_test=False)._search([])
            domain = expression.OR([domain, [("res_model", "=", model), ("res_id", "in", readable)]])
        return domain

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            domain = expression.AND([domain, self._client_guard_domain()])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if self.env.su or not self._ids:
            return result
        allowed = (self - result[0]) if result else self
        forbidden = self.browse()
        for model in CLIENT_MODELS:
            followers = allowed.sudo().filtered(lambda f, model=model: f.res_model == model)
            if not followers:
                continue
            documents = self.env[model].with_context(active_test=False).browse(set(followers.mapped("res_id")))
            readable = set(documents.exists()._filtered_access("read")._ids)
            forbidden |= self.browse([f.id for f in followers if f.res_id not in readable])
        if not forbidden:
            return result
        if result:
            forbidden |= result[0]
        return forbidden, functools.partial(self.env["ir.rule"]._make_access_error, operation, forbidden)
