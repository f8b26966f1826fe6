"""Write sweep, generated from the registry: every stored field of res.partner
that a user under Client Guard may not edit (fields added by any installed
module included) is written over XML-RPC by each protected role on a client
the role sees, and must be refused with nothing changed."""

import base64
import datetime
import xmlrpc.client

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ClientGuardCase


@tagged("post_install", "-at_install")
class TestWriteSweep(ClientGuardCase, HttpCase):

    def other_record(self, comodel, current):
        Model = self.env[comodel].sudo().with_context(active_test=False)
        return Model.search([("id", "not in", current.ids)], limit=1, order="id desc")

    def new_value(self, record, field):
        """A value different from ``record``'s, in the form XML-RPC sends it."""
        current = record[field.name]
        kind = field.type
        if kind == "boolean":
            return not current
        if kind == "integer":
            return (current or 0) + 7
        if kind in ("float", "monetary"):
            return float(current or 0) + 7.5
        if kind in ("char", "text", "html"):
            return f"{current or ''}sweep"
        if kind == "selection":
            options = [key for key, _label in field._description_selection(self.env) if key != current]
            return options[0] if options else False
        if kind == "date":
            return str((current or datetime.date(2001, 1, 1)) + datetime.timedelta(days=3))
        if kind == "datetime":
            return str((current or datetime.datetime(2001, 1, 1)) + datetime.timedelta(days=3))
        if kind == "binary":
            return base64.b64encode(b"sweep").decode()
        if kind == "many2one":
            other = self.other_record(field.comodel_name, current)
            return other.id if other else False
        if kind == "many2many":
            other = self.other_record(field.comodel_name, current)
            return [(6, 0, other.ids)]
        if kind == "one2many":
            return [(5, 0, 0)] if current else [(0, 0, {})]
        if kind == "reference":
            return f"res.partner,{self.client_b.id}"
        if kind in ("json", "properties"):
            return {"sweep": 1}
        return False

    def stored_values(self, partner):
        fnames = [name for name, field in partner._fields.items() if field.store]
        self.env.invalidate_all()
        return partner.sudo().with_context(active_test=False).read(fnames)[0]

    @mute_logger("odoo.http", "odoo.addons.client_guard.models.client_guard_security_event")
    def test_write_sweep(self):
        Partner = self.env["res.partner"]
        client = self.client_own
        stored = sorted(name for name, field in Partner._fields.items() if field.store and name != "id")
        for must in ("is_client", "commercial_partner_id", "email_normalized", "phone_sanitized"):
            self.assertIn(must, stored)
        for user in (self.user_own, self.user_dept, self.user_all):
            self.assertEqual(self.visible(user, client), client, user.login)
            editable = Partner.with_user(user)._client_guard_editable_fields()
            refused_fields = [name for name in stored if name not in editable]
            self.assertIn("is_client", refused_fields)
            self.assertGreater(len(refused_fields), 30, "the whitelist is a short list of the form's fields")
            before = self.stored_values(client)
            went_through = []
            for fname in refused_fields:
                value = self.new_value(client, Partner._fields[fname])
                try:
                    self.xmlrpc_object.execute_kw(
                        self.env.cr.dbname, user.id, user.login, "res.partner", "write",
                        [client.ids, {fname: value}])
                except xmlrpc.client.Fault:
                    continue
                went_through.append(fname)
            self.assertFalse(went_through, f"{user.login} wrote {went_through}")
            after = self.stored_values(client)
            changed = [name for name in before if before[name] != after[name]]
            self.assertFalse(changed, f"{user.login} changed {changed}")
