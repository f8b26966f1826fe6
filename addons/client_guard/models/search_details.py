# pylint: disable=consider-merging-classes-inherited
# (kept apart from the main class of the model: searches on contact details)
from odoo import SUPERUSER_ID, models
from odoo.osv import expression
from odoo.tools import SQL

from .base_details import in_door_lookup

# Copies of a client's contact details on records that link it (an
# opportunity's e-mail, phone and address come from its client), and the
# client's bank accounts.
COPY_FIELDS = {
    "crm.lead": ("email_from", "email_normalized", "phone", "mobile", "phone_sanitized",
                 "street", "street2", "zip", "city"),
    "res.partner.bank": ("acc_number", "sanitized_acc_number"),
}


class Base(models.AbstractModel):
    _inherit = "base"

    def _condition_to_sql(self, alias, fname, operator, value, query):
        """A domain on an opportunity's copy of its client's e-mail or phone,
        or on a client's bank account, asks about the client's details: it
        matches only records that link no client, or (for a user who sees
        details in full) a client the user may read. An opportunity assigned
        to a user on a client they may not read shows the client's name, not
        its details: a search by the details must not confirm them either."""
        sql = super()._condition_to_sql(alias, fname, operator, value, query)
        if fname not in COPY_FIELDS.get(self._name, ()) or "partner_id" not in self._fields:
            return sql
        if self.env.su or self.env.uid == SUPERUSER_ID or in_door_lookup():
            return sql
        column = SQL.identifier(alias, "partner_id")
        allowed = SQL("(%s IS NULL OR %s NOT IN (SELECT id FROM res_partner WHERE is_client))", column, column)
        Partner = self.env["res.partner"]
        if not Partner._client_guard_search_restricted():
            readable = Partner.with_context(active_test=False)._search([])
            allowed = SQL("(%s OR %s IN %s)", allowed, column, readable.subselect())
        return SQL("(%s AND %s)", sql, allowed)


class MailThreadPhone(models.AbstractModel):
    _inherit = "mail.thread.phone"

    def _search_phone_mobile_search(self, operator, value):
        """The "Phone/Mobile" search of a model is raw SQL on its phone
        columns: the same rule as a domain on those columns."""
        domain = super()._search_phone_mobile_search(operator, value)
        if "partner_id" not in self._fields or self.env.su or in_door_lookup():
            return domain
        allowed = ["|", ("partner_id", "=", False), ("partner_id.is_client", "=", False)]
        if not self.env["res.partner"]._client_guard_search_restricted():
            # full level: also the clients the user may read (the subquery applies their rules)
            allowed = ["|", *allowed, ("partner_id", "any", [])]
        return expression.AND([domain, allowed])
