from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    client_guard_sso_proxies = fields.Char(
        string="Single sign-on proxies",
        config_parameter="client_guard_domain_login.proxy_addresses",
        help="Addresses (or networks) of the reverse proxies that check Kerberos tickets, comma-separated. "
        "Odoo accepts the authenticated name only from these addresses.",
    )
    client_guard_sso_realms = fields.Char(
        string="Kerberos realms",
        config_parameter="client_guard_domain_login.realms",
        help="Realms accepted for single sign-on, comma-separated (e.g. CORP.EXAMPLE.COM). Empty: any realm.",
    )
    client_guard_domain_check_interval = fields.Integer(
        string="Directory check of sessions (seconds)",
        config_parameter="client_guard_domain_login.check_interval",
        help="How often a signed-in directory user's account is checked in the directory. "
        "0: at every request, so a disabled account loses its session at once.",
    )
