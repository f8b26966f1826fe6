from odoo import api, fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    deputy_period_id = fields.Many2one(
        "curator.deputy", index="btree_not_null", ondelete="set null", readonly=True,
        help="Handed to a deputy while its curator is away: returns to the curator at the end of the period.")

    @api.model_create_multi
    def create(self, vals_list):
        # only an activity for someone else, on a record, may go to a deputy:
        # the periods are looked up only then (most activities are the user's own)
        uid = self.env.uid
        handed = [vals for vals in vals_list if vals.get("user_id") and vals["user_id"] != uid and vals.get("res_id")]
        periods = self.env["curator.deputy"]._active_by_curator() if handed else {}
        if periods:
            for vals in vals_list:
                self._deputy_assignee(vals, periods)
        return super().create(vals_list)

    @api.model
    def _deputy_assignee(self, vals, periods):
        """New activities for an away curator on their clients (a PBX call-back,
        a colleague's task) go to the deputy. The one place that chooses the
        assignee while a curator is away."""
        curator_id = vals.get("user_id")
        period = periods.get(curator_id)
        if not period or curator_id == self.env.uid or not vals.get("res_id"):
            return
        model = vals.get("res_model")
        if not model and vals.get("res_model_id"):
            model = self.env["ir.model"].sudo().browse(vals["res_model_id"]).model
        if model == "res.partner":
            record = self.env["res.partner"].sudo().browse(vals["res_id"]).commercial_partner_id
            covered = record.user_id.id == curator_id
        elif model == "crm.lead":
            lead = self.env["crm.lead"].sudo().browse(vals["res_id"])
            covered = curator_id in (lead.user_id.id, lead.partner_id.commercial_partner_id.user_id.id)
        else:
            covered = False
        if covered:
            vals.update(user_id=period.deputy_id.id, deputy_period_id=period.id)

    def write(self, vals):
        if "user_id" in vals and "deputy_period_id" not in vals and not self.env.su:
            # reassigned by hand: no longer the deputy's to return
            vals = dict(vals, deputy_period_id=False)
        return super().write(vals)
