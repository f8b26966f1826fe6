import json
import logging
import threading

from odoo import api, models
from odoo.http import request
from odoo.tools import html2plaintext

from odoo.addons.client_guard.server_flags import server_flag, server_flags

_logger = logging.getLogger(__name__)

# precommit data key: {(model, id): {"op", "old", "uid", "path", "ip"}}
PRECOMMIT_KEY = "client_guard_audit"


def audit_path(env):
    """The path a change comes through: the server flag set by the suite's
    own flows (transfer, PBX, import; never the caller's context, see
    client_guard.server_flags), else RPC when the call came over
    XML-RPC/JSON-RPC (client_guard marks the thread), else the web client when
    an HTTP request is being served, else the server itself (cron, shell)."""
    path = server_flag("audit_path")
    if path:
        return path
    if server_flag("curator_transfer_bulk"):
        return "transfer"
    if getattr(threading.current_thread(), "client_guard_ip", None):
        return "rpc"
    try:
        if request and request.httprequest:
            return "form"
    except RuntimeError:
        _logger.debug("no HTTP request bound to this thread")
    return "system"


def audit_ip():
    address = getattr(threading.current_thread(), "client_guard_ip", None)
    if address:
        return address
    try:
        if request and request.httprequest:
            return request.httprequest.remote_addr
    except RuntimeError:
        _logger.debug("no HTTP request bound to this thread")
    return None


def audit_context(env):
    """The context the audit reads records in, old values and new alike: the
    caller's language, archived records included, and none of the caller's
    other keys (``prefetch_fields=False`` would read each field with its own
    query, display keys would change the texts logged)."""
    return {"lang": env.context.get("lang"), "active_test": False}


class ClientGuardAuditMixin(models.AbstractModel):
    """Models that inherit this mixin get their watched fields (chosen by the
    security officer in ``client_guard.audit.rule``) audited on create, write and
    unlink, whatever the path. Old values are taken before the first change of
    a record in the transaction and compared with the values at commit time
    (like Odoo's field tracking), so that computed fields (an order's total
    after its lines changed) are audited too."""

    _name = "client_guard.audit.mixin"
    _description = "Client Guard Audited Model"

    # ------------------------------------------------------------------
    # ORM hooks
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._audit_prepare(operation="create")
        return records

    def write(self, vals):
        self._audit_prepare(vals=vals)
        return super().write(vals)

    def unlink(self):
        self._audit_log_unlink()
        return super().unlink()

    @api.model
    def load(self, fields, data):  # pylint: disable=redefined-outer-name
        with server_flags(audit_path="import"):
            return super().load(fields, data)

    # ------------------------------------------------------------------
    # Overridable per model
    # ------------------------------------------------------------------
    def _audit_clients(self):
        """{record id: client partner (sudo) or empty recordset}"""
        if "partner_id" not in self._fields or self._fields["partner_id"].comodel_name != "res.partner":
            return {record.id: self.env["res.partner"] for record in self}
        return {record.id: record.partner_id.commercial_partner_id for record in self}

    # ------------------------------------------------------------------
    # Mechanics
    # ------------------------------------------------------------------
    def _audit_prepare(self, operation="write", path=None, vals=None):
        """Remember the watched fields' values of ``self`` before the first
        change in this transaction; the log lines are written at commit.

        With ``vals`` (the values about to be written), only the watched
        fields among them and the computed ones they trigger on the same
        records are taken: a bulk write of one field stays cheap on thousands
        of records, and a write that cannot change a watched field (a note's
        date, a tracking field) schedules nothing."""
        if not self.ids:
            return
        fnames = self.env["client_guard.audit.rule"]._audit_fields(self._name)
        if vals is not None:
            triggered = self._audit_triggered_fields(vals)
            fnames = [fname for fname in fnames if fname in vals or fname in triggered]
        if not fnames:
            return
        precommit = self.env.cr.precommit
        data = precommit.data.get(PRECOMMIT_KEY)
        if data is None:
            data = precommit.data[PRECOMMIT_KEY] = {}
            # the hook runs with the audit's own context, not the first caller's
            precommit.add(self.env["client_guard.audit.log"].sudo().with_context(audit_context(self.env))._audit_finalize)  # pylint: disable=context-overridden
        entry = {"op": operation, "uid": self.env.uid, "path": path or audit_path(self.env), "ip": audit_ip()}
        if operation == "create":
            # a new record: whatever was remembered for it during its creation
            # (its lines' creation, say) is part of the creation
            for rid in self.ids:
                data[(self._name, rid)] = dict(entry, old=None)
            return
        for record in self.sudo().with_context(audit_context(self.env)):  # pylint: disable=context-overridden
            known = data.get((self._name, record.id))
            if known is None:
                data[(self._name, record.id)] = dict(
                    entry, old={fname: record._audit_value(fname) for fname in fnames})
            elif known["old"] is not None:
                # fields not written before in this transaction still hold their old value
                for fname in fnames:
                    if fname not in known["old"]:
                        known["old"][fname] = record._audit_value(fname)

    def _audit_triggered_fields(self, vals):
        """Names of the fields of this model that writing ``vals`` may
        recompute (Odoo's own trigger tree of the written fields, through
        other records too: an order's pricelist reprices its lines, which
        change the order's total)."""
        return {
            dependent.name
            for fname in vals if fname in self._fields
            for dependent in self.pool.get_dependent_fields(self._fields[fname])
            if dependent.model_name == self._name
        }

    def _audit_value(self, fname):
        """(comparable raw value, display text, number or None) of one field."""
        field = self._fields[fname]
        value = self[fname]
        if field.type == "many2one":
            return value.id, value.display_name or "", None
        if field.type in ("one2many", "many2many"):
            return tuple(sorted(value.ids)), ", ".join(value.mapped("display_name")), None
        if field.type in ("integer", "float", "monetary"):
            number = float(value or 0)
            return number, str(value or 0), number
        if field.type == "boolean":
            return bool(value), "✓" if value else "✗", None
        if field.type == "selection":
            labels = dict(field._description_selection(self.env))
            return value or False, str(labels.get(value, value or "")), None
        if field.type in ("date", "datetime"):
            return value or False, field.to_string(value) or "", None
        if field.type == "html":
            return value or False, html2plaintext(value or ""), None
        return value or False, str(value or ""), None

    def _audit_log_unlink(self):
        """Keep a copy of the records about to be deleted."""
        if not self.ids:
            return
        Rule = self.env["client_guard.audit.rule"]
        if not Rule._audit_logs_unlink(self._name):
            return
        records = self.sudo().with_context(active_test=False)
        fnames = [
            name for name, field in records._fields.items()
            if field.store and field.type not in ("binary", "one2many") and not field.groups
        ]
        copies = {values["id"]: values for values in records.read(fnames)}
        clients = records._audit_clients()
        Log = self.env["client_guard.audit.log"]
        rows = [
            Log._audit_row(
                self._name, record.id, record.display_name, clients.get(record.id),
                operation="unlink",
                old_value=record.display_name,
                deleted_copy=json.dumps(copies.get(record.id), default=str, ensure_ascii=False),
            )
            for record in records
        ]
        self.env["client_guard.audit.log"]._audit_insert(rows)

    @api.model
    def _audit_field_label(self, fname):
        return self._fields[fname]._description_string(self.env)

    @api.model
    def _audit_created_pairs(self, record, fnames):
        """The filled watched fields of a created record: [[field name, value text], ...]."""
        pairs = []
        for fname in fnames:
            _raw, text, _number = record._audit_value(fname)
            if text and text != "✗":
                pairs.append([fname, text])
        return pairs

    @api.model
    def _audit_describe_create(self, record, fnames, pairs=None):
        if pairs is None:
            pairs = self._audit_created_pairs(record, fnames)
        return "\n".join(f"{self._audit_field_label(fname)}: {text}" for fname, text in pairs)

    @api.model
    def _audit_created_values(self, record, fnames, pairs=None):
        """The filled watched fields of a created record as JSON ``[[field
        name, value text], ...]``: the log renders the labels in its reader's
        language (ClientGuardAuditLog._audit_render_created)."""
        if pairs is None:
            pairs = self._audit_created_pairs(record, fnames)
        return json.dumps(pairs, ensure_ascii=False)
