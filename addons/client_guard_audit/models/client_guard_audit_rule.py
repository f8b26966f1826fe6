from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError


class ClientGuardAuditRule(models.Model):
    """Which fields of which model the audit watches (picked by the security
    officer), and whether deletions keep a copy."""

    _name = "client_guard.audit.rule"
    _inherit = ["client_guard.cache.mixin"]  # the watched fields are cached per model
    _description = "Client Base Audit Rule"
    _order = "model_id"

    model_id = fields.Many2one(
        "ir.model",
        required=True,
        ondelete="cascade",
        domain=lambda self: [("model", "in", self._audited_models())],
    )
    model = fields.Char(related="model_id.model", store=True, string="Model Name")
    field_ids = fields.Many2many(
        "ir.model.fields",
        "client_guard_audit_rule_field_rel",
        "rule_id",
        "field_id",
        string="Watched Fields",
        domain="[('model_id', '=', model_id), ('store', '=', True), ('ttype', 'not in', ('binary', 'one2many'))]",
        help="Every change of these fields is logged with its old and new value.",
    )
    log_unlink = fields.Boolean(
        string="Keep Deleted Records", default=True,
        help="When a record is deleted, a copy of its values is kept in the audit log.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("model_unique", "unique(model_id)", "There is already an audit rule for this model."),
    ]

    @api.model
    def _audited_models(self):
        return list(self.env.registry["client_guard.audit.mixin"]._inherit_children)

    @api.constrains("model_id", "field_ids")
    def _check_model(self):
        audited = set(self._audited_models())
        for rule in self.sudo():
            if rule.model_id.model not in audited:
                raise ValidationError(
                    _("The model %s cannot be audited: only clients, contacts, opportunities and orders can.",
                      rule.model_id.name)
                )
            if rule.field_ids.filtered(lambda f, rule=rule: f.model_id != rule.model_id):
                raise ValidationError(_("The watched fields must belong to the rule's model."))

    @api.model
    @tools.ormcache("model_name")
    def _audit_fields(self, model_name):
        rules = self.sudo().search([("model", "=", model_name)])
        fnames = rules.field_ids.filtered(lambda f: f.name in self.env[model_name]._fields).mapped("name")
        return tuple(sorted(fnames))

    @api.model
    @tools.ormcache("model_name")
    def _audit_logs_unlink(self, model_name):
        return bool(self.sudo().search_count([("model", "=", model_name), ("log_unlink", "=", True)]))
