from odoo import models
from odoo.tools import SQL

from .contact_details import FULL
from .res_partner_details import IMAGE_FIELDS


class IrBinary(models.AbstractModel):
    """``/web/image`` and ``/web/content`` stream a field of a record (or
    the attachment that holds it) without reading it through the ORM's
    read: a client's picture is a contact detail, so the door decides here
    too. A user who does not see the client's details in full gets the
    placeholder avatar, as Odoo gives for a record one cannot read."""

    _inherit = "ir.binary"

    def _client_guard_image_partner(self, record, field_name):
        """The partner whose picture the stream would carry, if any."""
        if record._name == "res.partner" and field_name in IMAGE_FIELDS:
            return record.id
        if record._name == "ir.attachment" and field_name in ("raw", "datas", "db_datas"):
            # SQL, not a sudo read: a sudo read would fill the record's cache and
            # the stream would then skip the access check of the caller's read
            self.env.cr.execute(SQL("SELECT res_model, res_field, res_id FROM ir_attachment WHERE id = %s",
                                    record.id))
            row = self.env.cr.fetchone()
            if row and row[0] == "res.partner" and row[1] in IMAGE_FIELDS:
                return row[2]
        return None

    def _record_to_stream(self, record, field_name):
        partner_id = self._client_guard_image_partner(record, field_name)
        if partner_id and self.env["base"]._client_guard_door_applies():
            level = self.env["res.partner"].browse(partner_id)._client_guard_detail_access().get(partner_id, FULL)
            if level != FULL:
                partner = self.env["res.partner"].sudo().browse(partner_id)
                return self._get_placeholder_stream(partner._avatar_get_placeholder_path())
        return super()._record_to_stream(record, field_name)
