# pylint: disable=consider-merging-classes-inherited
# (kept apart from the main class of the model: searches on contact details)
from odoo import models
from odoo.osv import expression
from odoo.tools import SQL

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
        or on a client's bank account, asks about the client's details: for
        a user who does not see them in full, it matches only records that
        link no client (the rule of ``res.partner._condition_to_sql``)."""
        sql = super()._condition_to_sql(alias, fname, operator, value, query)
        if (fname in COPY_FIELDS.get(self._name, ()) and "partner_id" in self._fields
                and self.env["res.partner"]._client_guard_search_restricted()):
            sql = SQL(
                "(%s AND (%s IS NULL OR %s NOT IN (SELECT id FROM res_partner WHERE is_client)))",
                sql, SQL.identifier(alias, "partner_id"), SQL.identifier(alias, "partner_id"))
        return sql


class MailThreadPhone(models.AbstractModel):
    _inherit = "mail.thread.phone"

    def _search_phone_mobile_search(self, operator, value):
        """The "Phone/Mobile" search of a model is raw SQL on its phone
        columns: the same rule as a domain on those columns."""
        domain = super()._search_phone_mobile_search(operator, value)
        if "partner_id" in self._fields and self.env["res.partner"]._client_guard_search_restricted():
            domain = expression.AND([domain, ["|", ("partner_id", "=", False), ("partner_id.is_client", "=", False)]])
        return domain
