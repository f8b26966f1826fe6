from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.client_guard.server_flags import server_flag

from ..phone_formats import phone_formats


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

    def _phone_format_number(self, number, country, force_format="E164", raise_exception=False):
        """phone_validation's E.164 of a partner's number (``phone_e164``,
        ``mobile_e164``, ``phone_sanitized``): the same value, False when it is
        no valid number, read once per number and country (``phone_formats``)."""
        if number and force_format == "E164" and not raise_exception:
            formats = phone_formats(number, country.code if country else None)
            return formats[0] if formats else False
        return super()._phone_format_number(number, country, force_format=force_format,
                                            raise_exception=raise_exception)

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

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        """The PBX's call-backs: ``mail.activity.create()`` subscribes each
        user to the clients of their activities, two or three queries per
        user, after ``pbx.call._pbx_subscribe`` made them follow those clients
        in one statement for the whole batch (server flag
        ``pbx_subscribed``, the (client, follower) pairs it subscribed; never
        set by a request). Those pairs follow with the default subtypes
        already: nothing is left to do for them. Any other subscription, one
        with subtypes or of a pair not in the flag, goes through Odoo's."""
        subscribed = server_flag("pbx_subscribed")
        if subscribed and partner_ids and not subtype_ids and all(
                (res_id, partner_id) in subscribed for res_id in self.ids for partner_id in partner_ids):
            return True
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

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

