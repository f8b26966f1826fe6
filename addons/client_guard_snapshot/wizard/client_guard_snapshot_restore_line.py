from odoo import fields, models


class ClientGuardSnapshotRestoreLine(models.TransientModel):
    _name = "client_guard.snapshot.restore.line"
    _description = "Deleted Partner in a Client Base Snapshot"
    _order = "id"

    wizard_id = fields.Many2one("client_guard.snapshot.restore", required=True, ondelete="cascade")
    selected = fields.Boolean(string="Restore", default=True)
    former_id = fields.Integer(string="Former ID", readonly=True, help="The partner's ID before it was deleted.")
    name = fields.Char(readonly=True)
    is_company = fields.Boolean(string="Is a Company", readonly=True)
    former_parent_id = fields.Integer(string="Former Company ID", readonly=True)
    parent_name = fields.Char(string="Company", readonly=True)
    parent_exists = fields.Boolean(string="Company Still Exists", readonly=True)
    curator_name = fields.Char(string="Curator", readonly=True)
    team_name = fields.Char(string="Department", readonly=True)
    email = fields.Char(readonly=True)
    phone = fields.Char(readonly=True)
