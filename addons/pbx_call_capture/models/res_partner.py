from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    _inherit = "res.partner"

    phone_e164 = fields.Char(string="Phone (E.164)", compute="_compute_e164", store=True, index="btree_not_null")
    mobile_e164 = fields.Char(string="Mobile (E.164)", compute="_compute_e164", store=True, index="btree_not_null")
    created_from_call = fields.Boolean(string="Created from a Call", readonly=True,
                                       help="The client was created automatically from an unknown caller.")
    call_name_placeholder = fields.Boolean(
        string="Name to Replace", readonly=True, copy=False,
        help="The client was created from a call without a caller name: its name is a placeholder that its "
             "curator may replace once.")
    call_ids = fields.One2many("pbx.call", "partner_id", string="Calls")
    call_count = fields.Integer(compute="_compute_call_count")

    @api.depends("phone", "mobile", "country_id")
    def _compute_e164(self):
        default_country = self.env.company.country_id or self.env.ref("base.ru", raise_if_not_found=False)
        for partner in self:
            country = partner.country_id or default_country
            partner.phone_e164 = (partner.phone and partner._phone_format(
                number=partner.phone, country=country, force_format="E164")) or False
            partner.mobile_e164 = (partner.mobile and partner._phone_format(
                number=partner.mobile, country=country, force_format="E164")) or False

    def _compute_call_count(self):
        counts = dict(self.env["pbx.call"]._read_group(
            [("partner_id", "child_of", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]))
        for partner in self:
            partner.call_count = sum(
                count for p, count in counts.items() if p.commercial_partner_id == partner.commercial_partner_id)

    def action_view_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("pbx_call_capture.action_pbx_call")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    def _client_guard_may_replace(self, fname):
        # the placeholder name of a client created from an unknown call: its curator replaces it once
        if fname == "name" and self.call_name_placeholder and self.user_id == self.env.user:
            return True
        return super()._client_guard_may_replace(fname)

    def write(self, vals):
        if "call_name_placeholder" in vals and not self.env.su:
            raise AccessError(_("Only the PBX integration marks a client's name as a placeholder."))
        renamed = self.filtered("call_name_placeholder") if vals.get("name") else self.browse()
        result = super().write(vals)
        if renamed:
            # replaced once: from now on the name is the client's data like any other
            renamed.flush_recordset(["name"])
            self.env.cr.execute("UPDATE res_partner SET call_name_placeholder = false WHERE id IN %s",
                                [tuple(renamed.ids)])
            renamed.invalidate_recordset(["call_name_placeholder"])
        return result

