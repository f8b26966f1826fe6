import json

from odoo import _, fields, models
from odoo.exceptions import UserError


class PbxIngestLog(models.Model):
    _name = "pbx.ingest.log"
    _description = "PBX Calls That Could Not Be Taken"
    _order = "id desc"

    raw = fields.Text(string="Raw Call (JSON)", required=True, help="Correct it, then replay.")
    error = fields.Text(readonly=True)
    uniqueid = fields.Char(string="Unique ID", readonly=True, index=True)
    source = fields.Char(string="PBX", readonly=True)
    state = fields.Selection([("error", "Error"), ("replayed", "Replayed")], default="error", required=True,
                             readonly=True, index=True)
    call_id = fields.Many2one("pbx.call", readonly=True, ondelete="set null")

    def action_replay(self):
        """Push the (corrected) raw calls again; each log tells what happened."""
        for log in self.filtered(lambda rec: rec.state == "error"):
            try:
                raw = json.loads(log.raw)
            except ValueError as exc:
                raise UserError(_("The raw call is not valid JSON: %s", exc)) from exc
            with self.env.cr.savepoint():
                result = self.env["pbx.call"].sudo()._register_calls([raw])[0]
            if result["status"] == "error":
                # _register_calls logged a new entry for the new error: keep just this one
                self.browse(result.get("log_id")).sudo().unlink()
                log.error = result["error"]
            else:
                log.write({"state": "replayed", "call_id": result["id"], "error": False})
        return True
