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
        now = fields.Datetime.now()
        changed_by = self.env.uid
        open_lines = self.search([("partner_id", "in", partners.ids), ("date_to", "=", False)])
        if open_lines:
            open_lines.write({"date_to": now})
        self.create([
            {
                "partner_id": partner.id,
                "user_id": partner.user_id.id,
                "previous_user_id": previous.get(partner.id) or False,
                "date_from": now,
                "changed_by_id": changed_by,
            }
            for partner in partners
            if partner.user_id
        ])
