import functools

from odoo import api, models
from odoo.exceptions import MissingError
from odoo.tools import SQL

# Documents whose followers tell about a client: the client itself and its
# opportunities. Odoo lets every employee read every follower; the followers
# of such a document are hidden from users who cannot read the document.
CLIENT_MODELS = ("res.partner", "crm.lead")


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model
    def _client_guard_readable(self, model, res_ids):
        """The ids among ``res_ids`` of ``model`` that the current user reads."""
        documents = self.env[model].with_context(active_test=False).browse(sorted(res_ids))
        try:
            # Odoo's own check (record rules), without a query for documents already in memory
            return set(documents._filtered_access("read")._ids)
        except MissingError:
            return set(documents.search([("id", "in", documents.ids)], order="id")._ids)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        """Drop the followers of clients and opportunities the user cannot
        read, as Odoo does for messages and activities: the found rows are
        checked by id, which stays cheap on a large base (a sub-query of
        every readable client would not)."""
        query = super()._search(domain, offset=offset, limit=limit, order=order)
        if self.env.su:
            return query
        rows = self.env.execute_query(query.select(
            SQL.identifier(self._table, "id"), SQL.identifier(self._table, "res_model"),
            SQL.identifier(self._table, "res_id"),
        ))
        hidden = set()
        for model in CLIENT_MODELS:
            res_ids = {res_id for __, res_model, res_id in rows if res_model == model}
            if res_ids:
                readable = self._client_guard_readable(model, res_ids)
                hidden.update(fid for fid, res_model, res_id in rows if res_model == model and res_id not in readable)
        # the ids found, in their order: the caller does not run the query a second time
        return self.browse([fid for fid, __, __ in rows if fid not in hidden])._as_query(ordered=True)

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
            readable = self._client_guard_readable(model, set(followers.mapped("res_id")))
            forbidden |= self.browse([f.id for f in followers if f.res_id not in readable])
        if not forbidden:
            return result
        if result:
            forbidden |= result[0]
        return forbidden, functools.partial(self.env["ir.rule"]._make_access_error, operation, forbidden)
