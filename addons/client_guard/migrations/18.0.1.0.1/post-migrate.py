from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """is_client is now decided by the suite (portal customers are clients):
    recompute it for the partners that have a user account."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    partners = env["res.partner"].with_context(active_test=False).search([("user_ids", "!=", False)])
    env.add_to_compute(env["res.partner"]._fields["is_client"], partners)
    env.flush_all()
