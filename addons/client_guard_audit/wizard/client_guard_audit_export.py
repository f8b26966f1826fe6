from odoo import fields, models


class ClientGuardAuditExport(models.TransientModel):
    """An XLSX export of audit log entries, downloaded once by the officer
    who made it (transient records are readable by their creator only)."""

    _name = "client_guard.audit.export"
    _description = "Client Base Audit Export"

    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)
    log_count = fields.Integer(string="Entries", readonly=True)
