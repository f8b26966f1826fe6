import re
import threading
from contextlib import contextmanager

from odoo import api, fields, models, tools

# legal forms and quotes dropped from company names before comparing them
LEGAL_FORMS = re.compile(
    r"\b(ооо|оао|зао|пао|ао|ип|нко|ано|тоо|llc|ltd|limited|inc|gmbh|sa|sarl|bv|oy|ab|corp|co)\b\.?",
    re.IGNORECASE,
)
NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# a plain ASCII address, nothing around it: Odoo's email_normalize gives it in lower case
PLAIN_EMAIL = re.compile(r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")


def name_key(name):
    """Company name reduced for comparison: lower case, no legal form,
    quotes or punctuation, yo as ye. '' when nothing is left."""
    if not name:
        return ""
    text = name.lower().replace("ё", "е")
    text = LEGAL_FORMS.sub(" ", text)
    return " ".join(NON_WORD.sub(" ", text).split())


_shared = threading.local()


@contextmanager
def shared_defaults():
    """Inside this block, ``res.partner.default_get`` computes the defaults
    of a given list of fields once and hands out copies: the ORM's ``create``
    asks for the defaults of every record it creates (a few milliseconds each,
    minutes for an intake of thousands of clients and contacts). Used only by
    the intake's own creations, in one environment."""
    previous = getattr(_shared, "defaults", None)
    _shared.defaults = {}
    try:
        yield
    finally:
        _shared.defaults = previous


def email_key(email):
    """Odoo's normalized e-mail (``tools.email_normalize``, what res.partner
    stores in ``email_normalized``), without the RFC 2822 parser for the
    plain addresses that are nearly all of a spreadsheet's (a tenth of the
    time): same result, proved by a Hypothesis test."""
    if not email:
        return False
    if PLAIN_EMAIL.fullmatch(email):
        return email.lower()
    return tools.email_normalize(email) or False


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

    @api.model
    def default_get(self, fields_list):
        cache = getattr(_shared, "defaults", None)
        if cache is None:
            return super().default_get(fields_list)
        # the context may hold lists (the web client's allowed_company_ids): compared as text
        key = (self.env.uid, self.env.su, self.env.company.id, repr(sorted(self.env.context.items())),
               tuple(fields_list))
        if key not in cache:
            cache[key] = super().default_get(fields_list)
        # a fresh dict and fresh lists (x2many commands) for each record: the ORM completes them in place
        return {fname: list(value) if isinstance(value, list) else value for fname, value in cache[key].items()}

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
        # read in one query each (record by record, the new companies' fields are fetched one by one)
        parents.fetch([*address, "lang", "commercial_partner_id"])
        parents.commercial_partner_id.fetch(commercial)
        inherited = {}
        for parent in parents:
            values = parent.commercial_partner_id._update_fields_values(commercial)
            if any(parent[fname] for fname in address):
                values.update(parent._update_fields_values(address))
            values["lang"] = parent.lang or self.env.context.get("default_lang") or self.env.lang
            inherited[parent.id] = values
        with shared_defaults():
            return self.with_context(_partners_skip_fields_sync=True).create([
                {"type": "contact", **inherited[vals["parent_id"]], **vals} for vals in vals_list])
