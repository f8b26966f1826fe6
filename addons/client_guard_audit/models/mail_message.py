import json

from odoo import api, models
from odoo.tools import html2plaintext


class MailMessage(models.Model):
    """Messages deleted from (or emptied in) the conversation of a client,
    an opportunity or an order are kept as tombstones in the audit log."""

    _inherit = "mail.message"

    @api.model
    def _audit_tombstone_models(self):
        """Models whose conversations are watched (extended by bridges)."""
        return list(self.env.registry["client_guard.audit.mixin"]._inherit_children)

    def _audit_watched(self):
        models_ = set(self._audit_tombstone_models())
        return self.sudo().filtered(lambda m: m.model in models_ and m.res_id)

    @api.model
    def _audit_clients_of(self, pairs):
        """{(model, res_id): client partner} for documents given as pairs."""
        by_model = {}
        for model, res_id in pairs:
            by_model.setdefault(model, set()).add(res_id)
        result = {}
        for model, ids in by_model.items():
            records = self.env[model].sudo().with_context(active_test=False).browse(list(ids)).exists()
            for res_id, client in records._audit_clients().items():
                result[(model, res_id)] = client
        return result

    def _audit_tombstones(self, operation, new_bodies=None):
        messages = self._audit_watched()
        if not messages:
            return
        clients = self._audit_clients_of({(m.model, m.res_id) for m in messages})
        body_field = self.env["ir.model.fields"].sudo()._get("mail.message", "body")
        Log = self.env["client_guard.audit.log"]
        rows = []
        for message in messages:
            rows.append(Log._audit_row(
                message.model, message.res_id, message.record_name or "",
                clients.get((message.model, message.res_id)),
                operation=operation,
                field_name="body",
                field_id=body_field.id,
                field_description=message._fields["body"]._description_string(self.env),
                old_value=html2plaintext(message.body or ""),
                new_value=html2plaintext(new_bodies[message.id]) if new_bodies else None,
                deleted_copy=json.dumps({
                    "message_id": message.id,
                    "date": str(message.date),
                    "author": message.author_id.display_name or message.email_from or "",
                    "message_type": message.message_type,
                    "subject": message.subject or "",
                    "body": str(message.body or ""),
                    "attachments": message.attachment_ids.mapped("name"),
                    "partners": message.partner_ids.mapped("display_name"),
                }, ensure_ascii=False),
            ))
        self.env["client_guard.audit.log"]._audit_insert(rows)

    def write(self, vals):
        if "body" in vals:
            new_body = str(vals["body"] or "")
            changed = self.sudo().filtered(lambda m: str(m.body or "") != new_body)
            emptied = changed.filtered(lambda m: not html2plaintext(new_body).strip())
            if emptied:
                emptied._audit_tombstones("message_deleted")
            edited = changed - emptied
            if edited:
                edited._audit_tombstones("message_edited", {m.id: new_body for m in edited})
        return super().write(vals)

    def unlink(self):
        self._audit_tombstones("message_deleted")
        return super().unlink()
