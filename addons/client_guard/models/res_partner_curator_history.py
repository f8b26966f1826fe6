from odoo import api, fields, models


class ResPartnerCuratorHistory(models.Model):
    _name = "res.partner.curator.history"
    _description = "Curator History of a Client"
    _order = "partner_id, date_from desc, id desc"
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
