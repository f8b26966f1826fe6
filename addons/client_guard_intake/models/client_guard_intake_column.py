from odoo import fields, models

# what a column of a manager's spreadsheet can fill in
TARGETS = [
    ("name", "Client name"),
    ("phone", "Phone"),
    ("mobile", "Mobile"),
    ("email", "E-mail"),
    ("vat", "Tax ID"),
    ("contact", "Contact person"),
    ("city", "City"),
    ("skip", "Do not import"),
]

# usual headers, compared in lower case without spaces around: mapped without asking
HEADER_ALIASES = {
    "name": ("name", "название", "наименование", "company", "company name", "компания", "организация",
             "клиент", "client"),
    "phone": ("phone", "телефон", "тел", "тел.", "tel", "telephone", "рабочий телефон"),
    "mobile": ("mobile", "мобильный", "мобильный телефон", "сотовый", "mobile phone", "cell"),
    "email": ("e-mail", "email", "почта", "эл. почта", "электронная почта", "mail", "e-mail address"),
    "vat": ("vat", "инн", "tax id", "tin", "vat number"),
    "contact": ("contact", "контактное лицо", "контакт", "contact person", "contact name", "фио"),
    "city": ("city", "город", "town"),
}


class ClientGuardIntakeColumn(models.Model):
    _name = "client_guard.intake.column"
    _description = "Column of a Client Intake File"
    _order = "intake_id, sequence"

    intake_id = fields.Many2one("client_guard.intake", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(string="Position", required=True)
    header = fields.Char(string="Column", readonly=True)
    sample = fields.Char(string="First Value", readonly=True)
    target = fields.Selection(TARGETS, string="Imported As", required=True, default="skip")
