import re

from odoo import api, fields, models

# legal forms and quotes dropped from company names before comparing them
LEGAL_FORMS = re.compile(
    r"\b(ооо|оао|зао|пао|ао|ип|нко|ано|тоо|llc|ltd|limited|inc|gmbh|sa|sarl|bv|oy|ab|corp|co)\b\.?",
    re.IGNORECASE,
)
NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def name_key(name):
    """Company name reduced for comparison: lower case, no legal form,
    quotes or punctuation, yo as ye. '' when nothing is left."""
    if not name:
        return ""
    text = name.lower().replace("ё", "е")
    text = LEGAL_FORMS.sub(" ", text)
    return " ".join(NON_WORD.sub(" ", text).split())


def vat_key(vat):
    """Tax id reduced for comparison: letters and digits, upper case."""
    return re.sub(r"[^0-9A-Za-z]", "", vat or "").upper()


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Same definition as in pbx_call_capture (one column when both are installed):
    # the intake matches the numbers of a spreadsheet against these indexed columns.
    phone_e164 = fields.Char(string="Phone (E.164)", compute="_compute_e164", store=True, index="btree_not_null")
    mobile_e164 = fields.Char(string="Mobile (E.164)", compute="_compute_e164", store=True, index="btree_not_null")
    email_normalized = fields.Char(index="btree_not_null")
    intake_vat_key = fields.Char(
        string="Tax ID (normalized)", compute="_compute_intake_keys", store=True, index="btree_not_null")
    intake_name_key = fields.Char(
        string="Company Name (normalized)", compute="_compute_intake_keys", store=True, index="btree_not_null")

    @api.depends("phone", "mobile", "country_id")
    def _compute_e164(self):
        default_country = self.env.company.country_id or self.env.ref("base.ru", raise_if_not_found=False)
        for partner in self:
            country = partner.country_id or default_country
            partner.phone_e164 = (partner.phone and partner._phone_format(
                number=partner.phone, country=country, force_format="E164")) or False
            partner.mobile_e164 = (partner.mobile and partner._phone_format(
                number=partner.mobile, country=country, force_format="E164")) or False

    @api.depends("vat", "name", "is_company", "parent_id")
    def _compute_intake_keys(self):
        for partner in self:
            partner.intake_vat_key = vat_key(partner.vat) or False
            is_company = partner.is_company or not partner.parent_id
            partner.intake_name_key = (is_company and name_key(partner.name)) or False

    @api.model
    def _intake_create_contacts(self, vals_list):
        """Create the contact persons of an intake in one ``create``: the
        commercial fields, the address and the language of each company go in
        the values themselves, which is what Odoo's ``_fields_sync`` would
        write afterwards one contact at a time (thousands of writes, each
        through every module's ``write``)."""
        if not vals_list:
            return self.browse()
        parents = self.browse({vals["parent_id"] for vals in vals_list}).with_context(active_test=False)
        commercial, address = self._commercial_fields(), self._address_fields()
        inherited = {}
        for parent in parents:
            values = parent.commercial_partner_id._update_fields_values(commercial)
            if any(parent[fname] for fname in address):
                values.update(parent._update_fields_values(address))
            values["lang"] = parent.lang or self.env.context.get("default_lang") or self.env.lang
            inherited[parent.id] = values
        return self.with_context(_partners_skip_fields_sync=True).create([
            {"type": "contact", **inherited[vals["parent_id"]], **vals} for vals in vals_list])
