"""Shared set-up of the browser tours (issue 10): the Russian UI."""

SUITE = (
    "client_guard", "curator_transfer", "pbx_call_capture", "shift_close_check",
    "client_guard_audit", "client_guard_exfiltration", "client_guard_snapshot",
)
# the modules whose Russian terms a tour's pages show
WEB = ("base", "web", "mail", "crm", "sales_team", "contacts", "phone_validation", "calendar")


def load_russian(env):
    """Activate Russian and load the translations of the suite and of the
    Odoo modules its screens show (as an admin does from Settings)."""
    env["res.lang"]._activate_lang("ru_RU")
    modules = env["ir.module.module"].search([("name", "in", SUITE + WEB), ("state", "=", "installed")])
    modules._update_translations(["ru_RU"])
