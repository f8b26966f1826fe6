from odoo import api, fields, models


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
        curator among them) at once."""
        if not field_names:
            return super().search_fetch(domain, field_names, offset=offset, limit=limit, order=order)
        field_names = [*field_names, *(name for name in self._CARD_FNAMES if name not in field_names)]
        lines = super().search_fetch(domain, field_names, offset=offset, limit=limit, order=order)
        lines._warm_user_names()
        return lines

    def web_read(self, specification):
        self._warm_user_names()
        return super().web_read(specification)

    def _warm_user_names(self):
        """The users of every line and column (the client's curator among
        them), with only their names and what the door of contact details
        reads of their partners, in two queries (Odoo would fetch every column
        of their partners, once per column of the list, and the door its
        columns once more)."""
        lines = self._origin.sudo()
        if not lines:
            return
        users = lines.user_id | lines.previous_user_id | lines.changed_by_id
        users.fetch(["partner_id"])
        # a user's display name is its partner's name
        users.partner_id.fetch(["name", *self.env["res.partner"]._client_guard_door_fnames()])
