import base64
import io
import json
import logging
from collections import defaultdict

from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from odoo.addons.client_guard.server_flags import server_flags

from .client_guard_audit_mixin import PRECOMMIT_KEY, audit_ip, audit_path

_logger = logging.getLogger(__name__)

PATHS = [
    ("form", "Web client"),
    ("import", "Import"),
    ("rpc", "RPC"),
    ("transfer", "Curator transfer"),
    ("pbx", "PBX"),
    ("system", "System (scheduled jobs, server)"),
]
OPERATIONS = [
    ("create", "Created"),
    ("write", "Changed"),
    ("unlink", "Deleted"),
    ("message_edited", "Message edited"),
    ("message_deleted", "Message deleted"),
    ("attachment_deleted", "Attachment deleted"),
]
# columns written by _audit_insert, in order
COLUMNS = (
    "user_id", "model", "res_id", "res_name", "client_id", "partner_id", "client_name", "operation",
    "field_name", "field_id", "field_description", "old_value", "new_value", "old_number", "new_number",
    "value_delta", "path", "ip_address", "deleted_copy", "deleted_content", "deleted_filename",
    "created_values",
)
# what a line says about a private client; a reader who may not see the client
# reads the line (who, when, which field, through which path) with these masked
MASKED_FIELDS = (
    "res_name", "client_name", "partner_id", "old_value", "new_value", "old_number", "new_number",
    "value_delta", "deleted_copy", "deleted_content", "deleted_filename", "display_name", "created_values",
)


class ClientGuardAuditLog(models.Model):
    """One line per change of a watched field, per deleted record, per deleted
    or edited chatter message and per deleted attachment. Append-only: no one
    edits or deletes a line through Odoo; only the retention job removes lines
    past the configured age."""

    _name = "client_guard.audit.log"
    _description = "Client Base Audit Log"
    _order = "id desc"
    _rec_name = "res_name"

    create_date = fields.Datetime(string="Date", readonly=True, index=True)
    user_id = fields.Many2one("res.users", readonly=True, index=True, ondelete="set null")
    model = fields.Char(readonly=True, index=True)
    model_description = fields.Char(compute="_compute_model_description", string="Document Type")
    res_id = fields.Integer(string="Record ID", readonly=True, index=True)
    res_name = fields.Char(string="Record", readonly=True)
    client_id = fields.Integer(
        string="Client ID", readonly=True, index="btree_not_null",
        help="The client the record belongs to; kept when the client is deleted.",
    )
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True, ondelete="set null")
    client_name = fields.Char(readonly=True)
    operation = fields.Selection(OPERATIONS, readonly=True, required=True, index=True)
    field_name = fields.Char(readonly=True, index=True)
    field_id = fields.Many2one("ir.model.fields", string="Changed Field", readonly=True, ondelete="set null",
                               help="The changed field, its label in the reader's language.")
    field_description = fields.Char(string="Field Label", readonly=True,
                                    help="The field's label when the change was made (kept if the field goes).")
    field_label = fields.Char(string="Field", compute="_compute_field_label",
                              help="The field's label in the reader's language.")
    old_value = fields.Text(readonly=True)
    new_value = fields.Text(readonly=True)
    old_number = fields.Float(string="Old Amount", readonly=True)
    new_number = fields.Float(string="New Amount", readonly=True)
    value_delta = fields.Float(
        string="Change", readonly=True, help="New amount minus old amount, for numeric fields.",
    )
    path = fields.Selection(PATHS, readonly=True, index=True)
    ip_address = fields.Char(string="IP Address", readonly=True)
    deleted_copy = fields.Text(string="Copy of the Deleted Record", readonly=True,
                               help="The deleted record's values (JSON), as read just before deletion.")
    deleted_content = fields.Binary(string="Deleted File", attachment=False, readonly=True)
    deleted_filename = fields.Char(readonly=True)
    created_values = fields.Text(
        readonly=True,
        help="Technical: a created record's filled fields as JSON [[field name, value], ...]; "
        "the new value is shown from it with the labels in the reader's language.")

    @api.depends("field_id", "field_description")
    def _compute_field_label(self):
        for log in self:
            log.field_label = log.field_id.sudo().field_description or log.field_description

    @api.depends("res_name")
    def _compute_display_name(self):
        masked = self._audit_masked_ids()
        for log in self:
            log.display_name = self._audit_mask_text() if log.id in masked else log.res_name

    @api.depends("model")
    def _compute_model_description(self):
        names = {}
        for log in self:
            if log.model not in names:
                names[log.model] = self.env["ir.model"]._get(log.model).name or log.model
            log.model_description = names[log.model]

    # ------------------------------------------------------------------
    # Private clients: the line stays, the client's identity and values are masked
    # ------------------------------------------------------------------
    @api.model
    def _audit_mask_text(self):
        return _("(private client)")

    @api.model
    def _audit_private_visible_domain(self):
        """Lines whose client the current user may read in full."""
        uid = self.env.uid
        return ["|", ("partner_id", "=", False), ("partner_id", "any", [
            "|", "|", ("is_private", "=", False), ("user_id", "=", uid), ("trusted_user_ids", "in", [uid])])]

    def _audit_masked_ids(self):
        """Ids of the lines of ``self`` about a private client the current user
        is neither the curator of nor trusted with (superuser: none)."""
        if self.env.su or not self.ids:
            return set()
        self.env.cr.execute(
            """SELECT log.id FROM client_guard_audit_log log
                 JOIN res_partner p ON p.id = log.partner_id
                WHERE log.id = ANY(%s) AND p.is_private
                  AND p.user_id IS DISTINCT FROM %s
                  AND NOT EXISTS (SELECT 1 FROM res_partner_trusted_user_rel t
                                   WHERE t.partner_id = p.id AND t.user_id = %s)""",
            [list(self.ids), self.env.uid, self.env.uid],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _audit_mask_vals(self, vals):
        text = self._audit_mask_text()
        for fname in MASKED_FIELDS:
            if fname not in vals:
                continue
            field = self._fields[fname]
            if field.type in ("char", "text"):
                vals[fname] = text if vals[fname] else vals[fname]
            else:
                vals[fname] = False

    def _audit_render_created(self):
        """{log id: the created record's values, labels in the reader's language}"""
        env = self.env
        if not env.lang and env.user.lang:
            env = env(context=dict(env.context, lang=env.user.lang))
        rendered = {}
        for log in self.sudo().filtered(lambda log: log.operation == "create" and log.created_values):
            try:
                pairs = json.loads(log.created_values)
            except ValueError:
                continue
            Model = env.get(log.model)
            lines = []
            for fname, text in pairs:
                field = Model._fields.get(fname) if Model is not None else None
                label = field._description_string(env) if field else fname
                lines.append(f"{label}: {text}")
            rendered[log.id] = "\n".join(lines)
        return rendered

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if "new_value" in fnames:
            rendered = self._audit_render_created()
            for vals in result:
                if vals["id"] in rendered:
                    vals["new_value"] = rendered[vals["id"]]
        masked = self._audit_masked_ids()
        if masked:
            for vals in result:
                if vals["id"] in masked:
                    self._audit_mask_vals(vals)
        return result

    def _audit_touches_masked(self, terms):
        for term in terms or ():
            name = term if isinstance(term, str) else (term[0] if isinstance(term, (list, tuple)) else None)
            if isinstance(name, str) and name.split(".")[0].split(":")[0] in MASKED_FIELDS:
                return True
        return False

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # searching on what is masked would tell it: such a search skips the lines masked for the user
        if not self.env.su and self._audit_touches_masked(domain):
            domain = expression.AND([domain, self._audit_private_visible_domain()])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        if not self.env.su and (self._audit_touches_masked(groupby) or self._audit_touches_masked(aggregates)):
            domain = expression.AND([domain or [], self._audit_private_visible_domain()])
        return super()._read_group(domain, groupby=groupby, aggregates=aggregates, having=having,
                                   offset=offset, limit=limit, order=order)

    # ------------------------------------------------------------------
    # Append-only
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        # lines are inserted by _audit_insert (SQL): nothing creates them through the ORM
        raise UserError(_("The audit log is written by Odoo itself; entries cannot be added by hand."))

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(_("The audit log is append-only: its entries cannot be changed."))

    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(
            _("The audit log is append-only: its entries are removed only by the retention job.")
        )

    # ------------------------------------------------------------------
    # Writing the log
    # ------------------------------------------------------------------
    @api.model
    def _audit_row(self, model, res_id, res_name, client, **values):
        """A log line about record ``res_id`` of ``model`` (of ``client``),
        by the current user through the current path unless ``values`` says."""
        row = {
            "user_id": self.env.uid,
            "model": model,
            "res_id": res_id,
            "res_name": res_name,
            "client_id": client.id if client else None,
            "client_name": client.display_name if client else None,
            **values,
        }
        if "path" not in row:  # the precommit hook passes what it remembered
            row["path"], row["ip_address"] = audit_path(self.env), audit_ip()
        return row

    @api.model
    def _audit_insert(self, rows):
        """Insert log lines in one statement (bulk flows log thousands)."""
        if not rows:
            return
        self.env.flush_all()
        client_ids = {row["client_id"] for row in rows if row.get("client_id")}
        existing = set()
        if client_ids:
            self.env.cr.execute("SELECT id FROM res_partner WHERE id = ANY(%s)", [list(client_ids)])
            existing = {row[0] for row in self.env.cr.fetchall()}
        now = self.env.cr.now()
        Fields = self.env["ir.model.fields"].sudo()
        values = []
        for raw in rows:
            row = dict(raw, partner_id=raw.get("client_id") if raw.get("client_id") in existing else None)
            if row.get("field_name") and not row.get("field_id"):
                row["field_id"] = Fields._get(row["model"], row["field_name"]).id or None
            values.append((*tuple(row.get(column) for column in COLUMNS), self.env.uid, now, self.env.uid, now))
        execute_values(
            self.env.cr._obj,
            f"INSERT INTO client_guard_audit_log ({', '.join(COLUMNS)}, create_uid, create_date, write_uid,"
            " write_date) VALUES %s",
            values,
            page_size=1000,
        )
        self.invalidate_model()

    @api.model
    def _audit_finalize(self):
        """Precommit hook: compare the remembered values with the current ones
        and log every difference."""
        data = self.env.cr.precommit.data.pop(PRECOMMIT_KEY, None)
        if not data:
            return
        by_model = defaultdict(dict)
        for (model, res_id), entry in data.items():
            by_model[model][res_id] = entry
        rows = []
        Rule = self.env["client_guard.audit.rule"]
        for model, entries in by_model.items():
            Model = self.env[model].sudo().with_context(active_test=False)
            fnames = Rule._audit_fields(model)
            records = Model.browse(list(entries)).exists()
            if not fnames or not records:
                continue
            clients = records._audit_clients()
            labels = {fname: Model._audit_field_label(fname) for fname in fnames}
            for record in records:
                entry = entries[record.id]
                common = self._audit_row(model, record.id, record.display_name, clients.get(record.id),
                                         user_id=entry["uid"], path=entry["path"], ip_address=entry["ip"])
                if entry["old"] is None:
                    pairs = Model._audit_created_pairs(record, fnames)  # each value read once
                    rows.append(dict(common, operation="create",
                                     new_value=Model._audit_describe_create(record, fnames, pairs),
                                     created_values=Model._audit_created_values(record, fnames, pairs)))
                    continue
                for fname, (old_raw, old_text, old_number) in entry["old"].items():
                    if fname not in fnames:
                        continue
                    new_raw, new_text, new_number = record._audit_value(fname)
                    if old_raw == new_raw:
                        continue
                    rows.append(dict(
                        common,
                        operation="write",
                        field_name=fname,
                        field_description=labels[fname],
                        old_value=old_text,
                        new_value=new_text,
                        old_number=old_number,
                        new_number=new_number,
                        value_delta=(new_number - old_number) if new_number is not None else None,
                    ))
        self._audit_insert(rows)

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _audit_generate_demo(self):
        """A few changes made by the demo users in the web client."""
        ref = self.env.ref
        head = ref("client_guard.user_head_moscow", raise_if_not_found=False)
        ivan = ref("client_guard.user_sales_own", raise_if_not_found=False)
        maria = ref("client_guard.user_sales_department", raise_if_not_found=False)
        if not (head and ivan and maria):
            return
        clients = self.env["res.partner"].search(
            [("user_id", "=", ivan.id), ("is_company", "=", True), ("is_private", "=", False)], limit=3, order="id")
        if len(clients) < 3:
            return
        with server_flags(audit_path="form"):
            clients[0].with_user(ivan).write({"vat": "7701234567"})
            clients[1].with_user(head).write({"user_id": maria.id})
            thread = clients[2].with_user(ivan)
            message = thread.message_post(body=_("Agreed a 30% discount by phone, not in the order."),
                                          message_type="comment")
            thread._message_update_content(message, body="", attachment_ids=[])

    # ------------------------------------------------------------------
    # Retention
    # ------------------------------------------------------------------
    @api.model
    def _audit_retention_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param("client_guard_audit.retention_days", "365")
        try:
            return int(value)
        except ValueError:
            return 365

    @api.model
    def _cron_purge_expired(self):
        """Remove the entries older than the retention (0 keeps them all)."""
        days = self._audit_retention_days()
        if days <= 0:
            return 0
        self.env.cr.execute(
            "DELETE FROM client_guard_audit_log WHERE create_date < (now() at time zone 'UTC') - %s * interval '1 day'",
            [days],
        )
        count = self.env.cr.rowcount
        self.invalidate_model()
        _logger.info("Client Guard audit: %s entries older than %s days removed", count, days)
        return count

    # ------------------------------------------------------------------
    # Export
    # ------------------------------------------------------------------
    def _xlsx_content(self):
        import xlsxwriter  # noqa: PLC0415

        created = self._audit_render_created()
        columns = [
            (_("Date"), lambda log: fields.Datetime.to_string(
                fields.Datetime.context_timestamp(log, log.create_date)) if log.create_date else ""),
            (_("User"), lambda log: log.user_id.name or ""),
            (_("Path"), lambda log: dict(self._fields["path"]._description_selection(self.env)).get(log.path, "")),
            (_("Operation"), lambda log: dict(
                self._fields["operation"]._description_selection(self.env)).get(log.operation, "")),
            (_("Document Type"), lambda log: log.model_description or ""),
            (_("Record"), lambda log: log.res_name or ""),
            (_("Record ID"), lambda log: log.res_id or ""),
            (_("Client"), lambda log: log.client_name or ""),
            (_("Field"), lambda log: log.field_label or ""),
            (_("Old Value"), lambda log: log.old_value or ""),
            (_("New Value"), lambda log: created.get(log.id, log.new_value or "")),
            (_("Change"), lambda log: log.value_delta or ""),
            (_("IP Address"), lambda log: log.ip_address or ""),
        ]
        masked = self._audit_masked_ids()
        hidden = {_("Record"), _("Client"), _("Old Value"), _("New Value"), _("Change")}
        columns = [
            (title, getter if title not in hidden else
             (lambda log, getter=getter: self._audit_mask_text() if log.id in masked else getter(log)))
            for title, getter in columns
        ]
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(_("Audit Log"))
        bold = workbook.add_format({"bold": True})
        for col, (title, _getter) in enumerate(columns):
            sheet.write(0, col, title, bold)
        for row, log in enumerate(self, start=1):
            for col, (_title, getter) in enumerate(columns):
                sheet.write(row, col, getter(log))
        sheet.autofilter(0, 0, max(len(self), 1), len(columns) - 1)
        sheet.freeze_panes(1, 0)
        workbook.close()
        return buffer.getvalue()

    def export_data(self, fields_to_export):
        """Officers export the audit log (Odoo's export dialog and routes
        included) whether or not they may export other data; what they may
        not read stays out."""
        if not self.env.su and self.env.user.has_group("client_guard.group_security_officer"):
            self.check_access("read")
            masked = self._audit_masked_ids()
            result = super(ClientGuardAuditLog, self.sudo()).export_data(fields_to_export)
            if masked:
                # no x2many on the log: one row per line, in order
                hide = [path.replace("/", ".").split(".")[0] in MASKED_FIELDS for path in fields_to_export]
                for log, row in zip(self, result["datas"], strict=False):
                    if log.id in masked:
                        row[:] = [self._audit_mask_text() if h else value for h, value in zip(hide, row, strict=True)]
            return result
        return super().export_data(fields_to_export)

    def action_export_xlsx(self):
        """Export the selected entries (the whole filtered view when "select
        all" is used) to an XLSX file and download it."""
        if not self.env.user.has_group("client_guard.group_security_officer"):
            raise UserError(_("Only security officers can export the audit log."))
        export = self.env["client_guard.audit.export"].create({
            "file": base64.b64encode(self._xlsx_content()),
            "filename": f"audit-log-{fields.Date.context_today(self)}.xlsx",
            "log_count": len(self),
        })
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/client_guard.audit.export/{export.id}/file/{export.filename}?download=true",
            "target": "self",
        }
