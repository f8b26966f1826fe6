from odoo import fields, models


class ClientGuardSecurityEvent(models.Model):
    _inherit = "client_guard.security.event"

    event_type = fields.Selection(
        selection_add=[
            ("domain_login", "Signed in with the domain account"),
            ("domain_refused", "Domain sign-in refused"),
            ("domain_rights", "Rights changed from the directory"),
            ("domain_archived", "User archived: left the directory"),
        ],
        ondelete={
            "domain_login": "cascade",
            "domain_refused": "cascade",
            "domain_rights": "cascade",
            "domain_archived": "cascade",
        },
    )
