import json

from odoo import api, fields, models


class CuratorTransferLine(models.Model):
    _name = "curator.transfer.line"
    _description = "Records Moved by a Curator Transfer"
    _order = "transfer_id, id"

    transfer_id = fields.Many2one("curator.transfer", required=True, index=True, ondelete="cascade")
    res_model = fields.Char(string="Model", required=True)
    field_name = fields.Char(string="Field", required=True)
    old_value = fields.Integer(string="Previous Value (ID)")
    new_value = fields.Integer(string="New Value (ID)")
    old_user_id = fields.Many2one("res.users", compute="_compute_names", string="From")
    new_user_id = fields.Many2one("res.users", compute="_compute_names", string="To")
    res_ids_json = fields.Text(string="Record IDs", required=True, default="[]")
    record_count = fields.Integer(string="Records", compute="_compute_record_count")
    kind = fields.Selection(
        [
            ("client", "Clients"),
            ("contact", "Contacts"),
            ("opportunity", "Opportunities"),
            ("activity", "Activities"),
            ("department", "Departments"),
        ],
        required=True,
    )

    @api.depends("res_ids_json")
    def _compute_record_count(self):
        for line in self:
            line.record_count = len(line.res_ids)

    @api.depends("field_name", "old_value", "new_value")
    def _compute_names(self):
        Users = self.env["res.users"].sudo()
        for line in self:
            is_user = line.field_name == "user_id"
            line.old_user_id = Users.browse(line.old_value) if is_user and line.old_value else False
            line.new_user_id = Users.browse(line.new_value) if is_user and line.new_value else False

    @property
    def res_ids(self):
        return json.loads(self.res_ids_json or "[]")
