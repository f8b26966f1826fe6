import base64
import json

from odoo import api, models

DEFAULT_MAX_SIZE = 25 * 1024 * 1024


class IrAttachment(models.Model):
    """Attachments deleted from a client, an opportunity or an order (their
    chatter included) are kept as tombstones, with their content up to
    ``client_guard_audit.attachment_max_size`` bytes."""

    _inherit = "ir.attachment"

    @api.model
    def _audit_max_size(self):
        value = self.env["ir.config_parameter"].sudo().get_param("client_guard_audit.attachment_max_size")
        try:
            return int(value) if value else DEFAULT_MAX_SIZE
        except ValueError:
            return DEFAULT_MAX_SIZE

    def unlink(self):
        self._audit_tombstones()
        return super().unlink()

    def _audit_tombstones(self):
        watched = set(self.env["mail.message"]._audit_tombstone_models())
        attachments = self.sudo().filtered(lambda a: a.res_model in watched and a.res_id and not a.res_field)
        if not attachments:
            return
        clients = self.env["mail.message"]._audit_clients_of({(a.res_model, a.res_id) for a in attachments})
        max_size = self._audit_max_size()
        Log = self.env["client_guard.audit.log"]
        rows = []
        for attachment in attachments:
            content = attachment.raw if attachment.type == "binary" and attachment.file_size <= max_size else None
            rows.append(Log._audit_row(
                attachment.res_model, attachment.res_id, attachment.name,
                clients.get((attachment.res_model, attachment.res_id)),
                operation="attachment_deleted",
                old_value=attachment.name,
                deleted_copy=json.dumps({
                    "attachment_id": attachment.id,
                    "name": attachment.name,
                    "mimetype": attachment.mimetype,
                    "file_size": attachment.file_size,
                    "checksum": attachment.checksum,
                    "url": attachment.url,
                    "created_by": attachment.create_uid.display_name,
                    "created_on": str(attachment.create_date),
                    "content_kept": content is not None,
                }, ensure_ascii=False),
                deleted_content=base64.b64encode(content) if content else None,
                deleted_filename=attachment.name,
            ))
        self.env["client_guard.audit.log"]._audit_insert(rows)
