from odoo import api, fields, models
from odoo.tools import SQL

from .base_details import read_checked_in_call, readable_memo


class ResPartnerCuratorHistory(models.Model):
    _name = "res.partner.curator.history"
    _description = "Curator History of a Client"
    _order = "date_from desc, id desc"
    _rec_name = "user_id"

    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one("res.users", string="Curator", index=True, ondelete="set null")
    previous_user_id = fields.Many2one("res.users", string="Previous Curator", ondelete="set null")
    date_from = fields.Datetime(string="From", required=True, default=fields.Datetime.now)
    date_to = fields.Datetime(string="To", help="Empty while the curator is current.")
    changed_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, ondelete="set null"
    )
    is_current = fields.Boolean(compute="_compute_is_current", string="Current")

    # the columns the client card's list shows: fetched with the lines
    _CARD_FNAMES = ("user_id", "previous_user_id", "changed_by_id", "date_from", "date_to")

    @api.depends("date_to")
    def _compute_is_current(self):
        for line in self:
            line.is_current = not line.date_to

    @api.model
    def _record_assignment(self, partners, previous):
        """Close the open lines of ``partners`` and open one line each for their
        current curator. ``previous`` maps partner id to the former curator id.
        Set-based: one search, one write, one create, whatever the count."""
        # set-based in SQL: a transfer or an import changes thousands of curators at once
        partners.flush_recordset(["user_id"])
        now = self.env.cr.now()
        uid = self.env.uid
        self.env.cr.execute(
            "UPDATE res_partner_curator_history SET date_to = %s, write_uid = %s, write_date = %s "
            "WHERE partner_id = ANY(%s) AND date_to IS NULL",
            (now, uid, now, partners.ids))
        self.env.cr.execute(
            """
            INSERT INTO res_partner_curator_history
                   (partner_id, user_id, previous_user_id, date_from, changed_by_id,
                    create_uid, create_date, write_uid, write_date)
            SELECT p.id, p.user_id, prev.user_id, %s, %s, %s, %s, %s, %s
              FROM res_partner p
              JOIN unnest(%s::int[], %s::int[]) AS prev(partner_id, user_id) ON prev.partner_id = p.id
             WHERE p.user_id IS NOT NULL
            """,
            (now, uid, uid, now, uid, now, partners.ids, [previous.get(pid) or None for pid in partners.ids]))
        self.invalidate_model()

    # ------------------------------------------------------------------
    # The client card: its lines and their users' names in a few light queries
    # ------------------------------------------------------------------
    def search_fetch(self, domain, field_names, offset=0, limit=None, order=None):
        """The lines of a client (its card's ``curator_history_ids``) are read
        next for the card's list: fetch those columns in the same query, under
        the same record rules, and the names of their users (the client's
        curator among them) at once. The lines found are readable by the
        user for the rest of the call (``_check_access``)."""
        if not field_names:
            return super().search_fetch(domain, field_names, offset=offset, limit=limit, order=order)
        field_names = [*field_names, *(name for name in self._CARD_FNAMES if name not in field_names)]
        lines = super().search_fetch(domain, field_names, offset=offset, limit=limit, order=order)
        if not self.env.su:
            readable_memo(self.env, lines._ids, model=self._name)
        lines._warm_user_names()
        return lines

    def _check_access(self, operation):
        """Lines that the same user's search returned earlier in the call
        being answered (the card's list, read right after its search) passed
        the record rules in SQL: Odoo would check them again in Python, line
        by line and through their client's fields."""
        if read_checked_in_call(self, operation):
            return None
        return super()._check_access(operation)

    def web_read(self, specification):
        self._warm_user_names()
        return super().web_read(specification)

    def _warm_user_names(self):
        """The users of every line and column (and the client's curator, when
        the client is loaded), with only their names and what the door of
        contact details reads of their partners, in one query (Odoo would
        fetch every column of their partners, once per column of the list,
        and the door its columns once more)."""
        lines = self._origin.sudo()
        if not lines:
            return
        users = lines.user_id | lines.previous_user_id | lines.changed_by_id
        clients = lines.partner_id
        if not next(self.env.cache.get_missing_ids(clients, clients._fields["user_id"]), None):
            users |= clients.user_id
        cache = self.env.cache
        missing = set(cache.get_missing_ids(users, users._fields["partner_id"]))
        users = users.browse([uid for uid in users._ids if uid in missing])
        if not users:
            return
        Partner = self.env["res.partner"].sudo()
        # the columns Odoo's fetch would read (stored dependencies of the computed ones included)
        columns = Partner._determine_fields_to_fetch(["name", *Partner._client_guard_door_fnames()])
        plain = [field for field in columns if field.column_type and not field.translate
                 and not field.company_dependent]
        self.env.cr.execute(SQL(
            "SELECT u.id, u.partner_id, %s FROM res_users u JOIN res_partner p ON p.id = u.partner_id"
            " WHERE u.id IN %s",
            SQL(", ").join(SQL.identifier("p", field.name) for field in plain), users._ids))
        rows = self.env.cr.fetchall()
        users = users.browse([row[0] for row in rows])
        cache.insert_missing(users, users._fields["partner_id"], [row[1] for row in rows])
        partners = Partner.browse([row[1] for row in rows])
        for index, field in enumerate(plain, start=2):
            cache.insert_missing(partners, field, [
                field.convert_to_cache(row[index], partners, validate=False) for row in rows])
        if len(plain) < len(columns):
            partners.fetch([field.name for field in columns if field not in plain])
