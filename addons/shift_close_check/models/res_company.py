from odoo import api, fields, models, tools
from odoo.fields import Command


class ResCompany(models.Model):
    _inherit = "res.company"

    shift_min_call_duration = fields.Integer(
        string="Calls needing a note: minimum talk time (s)", default=30)
    shift_min_note_length = fields.Integer(string="Minimum note length", default=10)
    shift_require_reason = fields.Boolean(string="Call reason required", default=False)
    shift_count_missed = fields.Boolean(string="Missed client calls must be called back or noted", default=True)
    shift_reminder_minutes = fields.Integer(string="Remind after (minutes)", default=60)
    shift_lookback_days = fields.Integer(
        string="Close check look-back (days)", default=7,
        help="The close of a shift checks every call of its employee not yet checked by a properly closed "
             "shift (late and out-of-order PBX reports included), started at most this many days before the "
             "shift opened.")
    client_required_field_ids = fields.Many2many(
        "ir.model.fields", "res_company_client_required_field_rel", "company_id", "field_id",
        string="Required client fields",
        domain="[('model', '=', 'res.partner'), ('store', '=', True), ('ttype', 'not in', "
               "('one2many', 'binary', 'html'))]",
        help="Fields a salesperson must fill when creating a client.")

    @api.model
    def _shift_demo_require_reason(self):
        """Demo data: in the demo, salespeople cannot save a new client without
        its reason of contact. Not while tests run (``--test-enable``): the
        suite's tests create clients without one, and the tests of the rule
        set the company's required fields themselves."""
        if tools.config["test_enable"]:
            return
        field = self.env.ref("client_guard.field_res_partner__contact_reason_id")
        self.env.ref("base.main_company").client_required_field_ids = [Command.link(field.id)]
