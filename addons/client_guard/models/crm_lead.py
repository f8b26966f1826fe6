from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import sql

PROTECTED_DATES = ("date_open", "date_closed", "date_deadline")
# the client's key, curator and private flag copied on its opportunities (the stored related
# fields below), in SQL: on an upgrade and after code that moves opportunities past the ORM
COPY_PARTNER_SQL = (
    "UPDATE crm_lead l SET client_guard_partner_key = p.client_guard_scope_key,"
    " client_guard_partner_curator_id = p.user_id, client_guard_partner_private = p.is_private"
    " FROM res_partner p WHERE p.id = l.partner_id"
)


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # The client's visibility key, curator and private flag, copied on the
    # opportunity for the record rules (``rule_lead_client_scope``,
    # ``rule_lead_private``): PostgreSQL checks them on the row it already reads
    # instead of hashing the ids of every client of the user's departments
    # (ten thousand at 100,000 clients) or probing the private clients for each
    # opportunity; with an index on the key and on the curator, it reads the
    # opportunities of a user's level from them (a bitmap of the user's own,
    # departments' and curated clients' opportunities) instead of every
    # unassigned opportunity. Kept by the ORM (stored related fields: a change of the
    # client's department, curator or private flag rewrites its
    # opportunities); only administrators may read or search them (the rules
    # are evaluated as superuser).
    client_guard_partner_key = fields.Integer(
        string="Client Visibility Key",
        related="partner_id.client_guard_scope_key",
        store=True,
        index="btree_not_null",
        groups="base.group_system",
        help="Technical: the visibility key of the opportunity's client (0 without a client).",
    )
    client_guard_partner_curator_id = fields.Many2one(
        string="Client Curator",
        related="partner_id.user_id",
        store=True,
        index="btree_not_null",
        groups="base.group_system",
        help="Technical: the curator of the opportunity's client.",
    )
    client_guard_partner_private = fields.Boolean(
        string="Private Client",
        related="partner_id.is_private",
        store=True,
        groups="base.group_system",
        help="Technical: the opportunity's client is private.",
    )

    def _auto_init(self):
        """On an upgrade, copy the clients' key, curator and private flag in
        one SQL ``UPDATE`` rather than through the ORM (a million opportunities)."""
        cr = self.env.cr
        columns = (("client_guard_partner_key", "int4"), ("client_guard_partner_curator_id", "int4"),
                   ("client_guard_partner_private", "bool"))
        if sql.column_exists(cr, "res_partner", "client_guard_scope_key") and not sql.column_exists(
                cr, "crm_lead", "client_guard_partner_key"):
            for name, column_type in columns:
                sql.create_column(cr, "crm_lead", name, column_type)
            cr.execute(COPY_PARTNER_SQL)
        return super()._auto_init()

    @api.model
    def _client_guard_sync_partner_copies(self, partner_ids):
        """Copy again the key, curator and private flag of ``partner_ids``
        on their opportunities, for code that moves opportunities from one
        client to another in SQL (the partner merge wizard), past the ORM."""
        if not partner_ids:
            return
        self.env.flush_all()  # pending computations first: they would write over the copies
        self.env.cr.execute(COPY_PARTNER_SQL + " AND l.partner_id IN %s", [tuple(partner_ids)])
        self.invalidate_model(["client_guard_partner_key", "client_guard_partner_curator_id",
                               "client_guard_partner_private"])

    def _client_guard_protected(self):
        return not self.env.su and self.env.user._client_guard_is_protected()

    def _client_guard_refuse(self, group_xmlid, message):
        if self.env.user.has_group(group_xmlid):
            return
        self.env["client_guard.security.event"]._log_refusal(
            "write_refused", message, model=self._name, res_ids=self.ids
        )
        raise UserError(
            _("%(message)s\nMissing right: %(right)s.", message=message, right=self.env.ref(group_xmlid).name)
        )

    def _client_guard_check_partners(self, partner_ids):
        """An opportunity shows its client's name, e-mail and phone: a user
        under Client Guard may only link it to clients they can read."""
        partners = self.env["res.partner"].browse({pid for pid in partner_ids if pid}).exists()
        partners.check_access("read")

    @api.model_create_multi
    def create(self, vals_list):
        if self._client_guard_protected():
            # the caller's default_* context keys count as values
            effective = [self._client_guard_with_defaults(vals, ("partner_id", "user_id")) for vals in vals_list]
            self._client_guard_check_partners([vals.get("partner_id") for vals in effective])
            for vals in effective:
                if vals.get("user_id") and vals["user_id"] != self.env.uid:
                    self._client_guard_refuse(
                        "client_guard.group_plan_for_others",
                        _("You cannot assign an opportunity to another user."),
                    )
        return super().create(vals_list)

    def write(self, vals):
        if self._client_guard_protected():
            if vals.get("partner_id"):
                self._client_guard_check_partners([vals["partner_id"]])
            if vals.get("user_id") and vals["user_id"] != self.env.uid and any(
                lead.user_id.id != vals["user_id"] for lead in self
            ):
                self._client_guard_refuse(
                    "client_guard.group_plan_for_others",
                    _("You cannot assign an opportunity to another user."),
                )
            for fname in PROTECTED_DATES:
                if fname not in vals:
                    continue
                field = self._fields[fname]
                new = field.convert_to_cache(vals[fname], self)
                if any(field.convert_to_cache(lead[fname], lead) != new for lead in self):
                    self._client_guard_refuse(
                        "client_guard.group_manage_curators",
                        _("You are not allowed to change the date “%s” of an opportunity.",
                          self._client_guard_field_label(fname)),
                    )
        return super().write(vals)
