import base64
import binascii
import hashlib
import logging
import os
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.phone_validation.tools import phone_validation

from .client_guard_intake_column import HEADER_ALIASES, TARGETS
from .res_partner import email_key, name_key, shared_defaults, vat_key

_logger = logging.getLogger(__name__)

EXTENSIONS = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
DEFAULT_MAX_MB = 10
# what a match may add to a client that lacks it (append-only: never overwrite)
COMPLETED_FIELDS = ("phone", "mobile", "email", "vat", "city")
# order in which a row's keys point to the same client
KEY_PRIORITY = ("vat", "email", "phone", "name")
# new clients created per ORM call by the import (bounds the memory and the cache of one call)
CREATE_CHUNK = 1000


class ClientGuardIntake(models.Model):
    _name = "client_guard.intake"
    _description = "Client Intake of a Manager's Spreadsheet"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    file = fields.Binary(attachment=True, required=True, copy=False)
    file_name = fields.Char()
    file_checksum = fields.Char(readonly=True, copy=False)
    owner_id = fields.Many2one(
        "res.users", string="Whose List", required=True, tracking=True,
        help="The manager whose list this is: new clients get them as curator and their department.")
    team_id = fields.Many2one(
        "crm.team", string="Department", compute="_compute_team_id", store=True, readonly=False,
        help="Department of the new clients: the owner's sales team unless chosen here.")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("preview", "Previewed"),
            ("done", "Imported"),
            ("reverted", "Undone"),
            ("partially_reverted", "Partially undone"),
        ],
        default="draft", required=True, readonly=True, tracking=True, copy=False,
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True)
    column_ids = fields.One2many("client_guard.intake.column", "intake_id", string="Columns", copy=False)
    line_ids = fields.One2many("client_guard.intake.line", "intake_id", string="Rows", copy=False)
    line_count = fields.Integer(compute="_compute_counts", string="Row Count")
    new_count = fields.Integer(compute="_compute_counts", string="New Clients")
    match_count = fields.Integer(compute="_compute_counts", string="Already in the Base")
    duplicate_count = fields.Integer(compute="_compute_counts", string="Repeated in the File")
    conflict_count = fields.Integer(compute="_compute_counts", string="Conflicts")
    error_count = fields.Integer(compute="_compute_counts", string="Errors")
    preview_date = fields.Datetime(readonly=True, copy=False)
    confirm_date = fields.Datetime(string="Imported On", readonly=True, copy=False)
    confirm_user_id = fields.Many2one("res.users", string="Imported By", readonly=True, copy=False)
    revert_date = fields.Datetime(string="Undone On", readonly=True, copy=False)
    revert_user_id = fields.Many2one("res.users", string="Undone By", readonly=True, copy=False)
    revert_report = fields.Text(readonly=True, copy=False)

    @api.depends("owner_id", "file_name")
    def _compute_name(self):
        for intake in self:
            intake.name = _(
                "%(owner)s: %(file)s", owner=intake.owner_id.name or "?", file=intake.file_name or _("file"))

    @api.depends("owner_id")
    def _compute_team_id(self):
        for intake in self:
            owner = intake.owner_id.sudo()
            intake.team_id = owner.sale_team_id or owner.client_guard_team_ids[:1]

    def _compute_counts(self):
        groups = self.env["client_guard.intake.line"]._read_group(
            [("intake_id", "in", self.ids)], ["intake_id", "state"], ["__count"])
        counts = {(intake.id, state): count for intake, state, count in groups}
        for intake in self:
            intake.line_count = sum(c for (i, _s), c in counts.items() if i == intake.id)
            intake.new_count = counts.get((intake.id, "new"), 0)
            intake.match_count = counts.get((intake.id, "match"), 0)
            intake.duplicate_count = counts.get((intake.id, "duplicate_in_file"), 0)
            intake.conflict_count = counts.get((intake.id, "conflict"), 0)
            intake.error_count = counts.get((intake.id, "error"), 0)

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    def _check_manager(self):
        user = self.env.user
        if not self.env.su and not (
            user.has_group("client_guard.group_manage_curators") or user.has_group("base.group_system")
        ):
            raise AccessError(_(
                "Only heads with the right “%s” and administrators can bring spreadsheets into the client base.",
                self.env.ref("client_guard.group_manage_curators").name,
            ))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        return super().create(vals_list)

    def write(self, vals):
        self._check_manager()
        if ("file" in vals or "owner_id" in vals) and any(i.state not in ("draft", "preview") for i in self):
            raise UserError(_("The file and the owner of an imported list cannot be changed."))
        if "file" in vals:
            vals = dict(vals, state="draft")
        return super().write(vals)

    def unlink(self):
        if any(intake.state == "done" for intake in self):
            raise UserError(_("An imported list is kept with its file: undo it instead of deleting it."))
        return super().unlink()

    # ------------------------------------------------------------------
    # Reading the file (base_import does the parsing)
    # ------------------------------------------------------------------
    @api.model
    def _max_file_size(self):
        param = self.env["ir.config_parameter"].sudo().get_param("client_guard_intake.max_file_mb")
        try:
            megabytes = float(param) if param else DEFAULT_MAX_MB
        except ValueError:
            megabytes = DEFAULT_MAX_MB
        return int(megabytes * 1024 * 1024)

    def _file_content(self):
        self.ensure_one()
        if not self.file:
            raise UserError(_("Choose the manager's file first (XLSX, CSV or ODS)."))
        try:
            content = base64.b64decode(self.with_context(bin_size=False).file)
        except (binascii.Error, ValueError) as exc:
            raise UserError(_("The file could not be decoded.")) from exc
        if not content:
            raise UserError(_("The file “%s” is empty.", self.file_name or ""))
        limit = self._max_file_size()
        if len(content) > limit:
            raise UserError(_(
                "The file “%(file)s” is %(size).1f MB; the intake takes files up to %(limit).1f MB. "
                "Split the list or save it as XLSX without images.",
                file=self.file_name or "", size=len(content) / 1048576, limit=limit / 1048576,
            ))
        return content

    def _read_rows(self):
        """Header and rows of the file, as lists of stripped strings."""
        self.ensure_one()
        content = self._file_content()
        _stem, ext = os.path.splitext((self.file_name or "").lower())
        if ext not in EXTENSIONS:
            raise UserError(_(
                "The file “%s” is not a spreadsheet the intake reads: save it as XLSX, CSV or ODS.",
                self.file_name or "",
            ))
        importer = self.env["base_import.import"].create({
            "res_model": "res.partner", "file": content, "file_name": self.file_name, "file_type": EXTENSIONS[ext],
        })
        options = {"quoting": '"', "separator": "", "encoding": "", "has_headers": True}
        if ext == ".csv":
            # chardet (base_import's guess) takes seconds on a large file: most files are UTF-8
            try:
                content.decode("utf-8-sig")
                options["encoding"] = "utf-8-sig"
            except UnicodeDecodeError:
                _logger.debug("intake %s: %r is not UTF-8, base_import guesses its encoding", self.id, self.file_name)
        try:
            _length, rows = importer._read_file(options)
        except UserError as exc:
            raise UserError(_("The file “%(file)s” could not be read: %(error)s",
                              file=self.file_name, error=exc.args[0])) from exc
        except Exception as exc:  # any parser error is the file's fault
            _logger.info("intake %s: unreadable file %r: %s", self.id, self.file_name, exc)
            raise UserError(_(
                "The file “%s” could not be read as a spreadsheet: it is damaged or not in the format "
                "its name says (XLSX, CSV or ODS).", self.file_name,
            )) from exc
        finally:
            importer.unlink()
        rows = [[str(cell or "").strip() for cell in row] for row in (rows or [])]
        rows = [row for row in rows if any(row)]
        if len(rows) < 2:
            raise UserError(_(
                "The file “%s” has no rows of clients below its header line.", self.file_name or ""))
        return rows[0], rows[1:]

    @api.model
    def _guess_target(self, header, used):
        """Usual headers map without asking; others through base_import's
        column matching on the client fields the intake fills in."""
        key = " ".join((header or "").lower().replace("ё", "е").split()).strip(" :*")
        for target, aliases in HEADER_ALIASES.items():
            if target not in used and key in aliases:
                return target
        fields_by_target = {"name": "name", "phone": "phone", "mobile": "mobile", "email": "email",
                            "vat": "vat", "city": "city"}
        importer = self.env["base_import.import"].with_context(lang=self.env.lang)
        try:
            tree = [f for f in importer.get_fields_tree("res.partner", depth=0)
                    if f["name"] in fields_by_target.values()]
            suggestion = importer._get_mapping_suggestion(header, tree, ["char", "text"], {})
        except (KeyError, ValueError):
            suggestion = {}
        path = (suggestion or {}).get("field_path") or []
        target = {v: k for k, v in fields_by_target.items()}.get(path[0]) if len(path) == 1 else None
        return target if target and target not in used else "skip"

    def _map_columns(self, header, rows):
        self.ensure_one()
        headers = [c.header for c in self.column_ids.sorted("sequence")]
        if headers == header:
            return {c.sequence: c.target for c in self.column_ids}
        self.column_ids.unlink()
        used, values = set(), []
        for index, title in enumerate(header):
            target = self._guess_target(title, used)
            if target != "skip":
                used.add(target)
            sample = next((row[index] for row in rows if index < len(row) and row[index]), "")
            values.append({"intake_id": self.id, "sequence": index, "header": title,
                           "sample": sample[:100], "target": target})
        self.env["client_guard.intake.column"].create(values)
        return {v["sequence"]: v["target"] for v in values}

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------
    def _default_country(self):
        return self.company_id.country_id or self.env.ref("base.ru", raise_if_not_found=False)

    @api.model
    def _e164(self, number, country):
        if not number:
            return False
        try:
            return phone_validation.phone_format(
                number, country.code if country else None, country.phone_code if country else None,
                force_format="E164", raise_exception=True)
        except UserError:
            return False

    def action_preview(self):
        """Read the file, map its columns and match every row against the
        whole base and the other rows. Writes only the intake's own lines."""
        self._check_manager()
        for intake in self:
            if intake.state not in ("draft", "preview"):
                raise UserError(_("This list has already been imported."))
            intake.sudo()._preview()
        return True

    def _preview(self):
        self.ensure_one()
        header, rows = self._read_rows()
        mapping = self._map_columns(header, rows)
        if "name" not in mapping.values() and "contact" not in mapping.values():
            raise UserError(_(
                "No column of “%s” is read as the client's name: choose one in the Columns tab "
                "(usual headers: Name, Название, Наименование).", self.file_name or ""))
        country = self._default_country()
        self.env.cr.execute("DELETE FROM client_guard_intake_line WHERE intake_id = %s", (self.id,))
        self.invalidate_recordset(["line_ids"])
        values = []
        for number, row in enumerate(rows, start=2):
            data = {target: "" for target, _label in TARGETS}
            for index, cell in enumerate(row):
                target = mapping.get(index, "skip")
                if target != "skip" and cell:
                    data[target] = f"{data[target]} {cell}".strip() if data[target] else cell
            values.append(self._prepare_line(number, data, country))
        self._match(values)
        self._insert_lines(values)
        content = base64.b64decode(self.with_context(bin_size=False).file)
        self.write({"state": "preview", "preview_date": fields.Datetime.now(),
                    "file_checksum": hashlib.sha1(content).hexdigest()})

    # the rows of a preview: plain values of the intake's own table, inserted in one statement
    LINE_COLUMNS = {
        "row": "int", "name": "varchar", "contact_name": "varchar", "phone": "varchar", "mobile": "varchar",
        "email": "varchar", "vat": "varchar", "city": "varchar", "phone_e164": "varchar",
        "mobile_e164": "varchar", "email_normalized": "varchar", "vat_key": "varchar", "name_key": "varchar",
        "state": "varchar", "action": "varchar", "message": "varchar", "duplicate_row": "int",
        "match_reason": "varchar", "partner_id": "int", "match_user_id": "int", "match_private": "bool",
    }

    def _insert_lines(self, values):
        """Insert the previewed rows with one INSERT (a 20,000-row file would
        take most of the preview through the ORM's create)."""
        self.ensure_one()
        if not values:
            return
        columns = list(self.LINE_COLUMNS)
        arrays = [[vals.get(col) or None for vals in values] for col in columns]
        arrays[columns.index("match_private")] = [bool(vals.get("match_private")) for vals in values]
        now, uid = self.env.cr.now(), self.env.uid
        # column names and types come from the constant above, never from the file
        self.env.cr.execute(
            f"""
            INSERT INTO client_guard_intake_line
                   (intake_id, create_uid, create_date, write_uid, write_date, {", ".join(columns)})
            SELECT %s, %s, %s, %s, %s, {", ".join(f"d.{col}" for col in columns)}
              FROM unnest({", ".join(f"%s::{kind}[]" for kind in self.LINE_COLUMNS.values())})
                   AS d({", ".join(columns)})
            """,
            [self.id, uid, now, uid, now, *arrays],
        )
        self.invalidate_recordset(["line_ids"])
        self.env["client_guard.intake.line"].invalidate_model()

    def _prepare_line(self, number, data, country):
        name = data["name"] or data["contact"]
        vals = {
            "intake_id": self.id,
            "row": number,
            "name": name[:255],
            "contact_name": data["contact"][:255] if data["name"] else "",
            "phone": data["phone"][:64],
            "mobile": data["mobile"][:64],
            "email": data["email"][:240],
            "vat": data["vat"][:32],
            "city": data["city"][:128],
            "state": "new",
            "action": "create",
        }
        errors = []
        if not name:
            errors.append(_("no client name"))
        vals["phone_e164"] = self._e164(data["phone"], country)
        vals["mobile_e164"] = self._e164(data["mobile"], country)
        if data["phone"] and not vals["phone_e164"]:
            errors.append(_("phone “%s” is not a phone number", data["phone"]))
        if data["mobile"] and not vals["mobile_e164"]:
            errors.append(_("mobile “%s” is not a phone number", data["mobile"]))
        vals["email_normalized"] = email_key(data["email"])
        if data["email"] and not vals["email_normalized"]:
            errors.append(_("e-mail “%s” is not an e-mail address", data["email"]))
        vals["vat_key"] = vat_key(data["vat"]) or False
        vals["name_key"] = name_key(data["name"]) or False
        if errors:
            vals.update(state="error", action="skip", message="; ".join(errors))
        return vals

    @api.model
    def _row_keys(self, vals):
        keys = []
        if vals.get("vat_key"):
            keys.append(("vat", vals["vat_key"]))
        if vals.get("email_normalized"):
            keys.append(("email", vals["email_normalized"]))
        for fname in ("phone_e164", "mobile_e164"):
            if vals.get(fname):
                keys.append(("phone", vals[fname]))
        if vals.get("name_key"):
            keys.append(("name", vals["name_key"]))
        return keys

    def _match(self, values):
        """Set-based matching: one indexed SQL query per kind of key for the
        whole file, then one pass over the rows for the repeats in the file."""
        keys = {kind: set() for kind in KEY_PRIORITY}
        for vals in values:
            if vals["state"] != "error":
                for kind, key in self._row_keys(vals):
                    keys[kind].add(key)
        Partner = self.env["res.partner"]
        Partner.flush_model(["phone_e164", "mobile_e164", "email_normalized", "intake_vat_key",
                             "intake_name_key", "commercial_partner_id", "user_id", "is_client"])
        found = {kind: {} for kind in KEY_PRIORITY}
        columns = {"vat": ["intake_vat_key"], "email": ["email_normalized"],
                   "phone": ["phone_e164", "mobile_e164"], "name": ["intake_name_key"]}
        for kind, names in columns.items():
            if not keys[kind]:
                continue
            for column in names:
                # column names come from the constant above, never from the file
                self.env.cr.execute(f"""
                    SELECT k.key, cp.id
                      FROM unnest(%s::varchar[]) AS k(key)
                      JOIN res_partner p ON p.{column} = k.key
                      JOIN res_partner cp ON cp.id = COALESCE(p.commercial_partner_id, p.id)
                     WHERE cp.is_client
                     ORDER BY cp.active DESC, cp.id
                """, (list(keys[kind]),))
                for key, partner_id in self.env.cr.fetchall():
                    found[kind].setdefault(key, partner_id)
        partner_ids = {pid for by_key in found.values() for pid in by_key.values()}
        curators = {}
        if partner_ids:
            self.env.cr.execute("SELECT id, user_id, is_private FROM res_partner WHERE id = ANY(%s)",
                                (list(partner_ids),))
            curators = {pid: (user_id, private) for pid, user_id, private in self.env.cr.fetchall()}
        seen = {}
        for vals in values:
            if vals["state"] == "error":
                continue
            row_keys = self._row_keys(vals)
            first = next((seen[key] for key in row_keys if key in seen), None)
            if first is not None:
                vals.update(state="duplicate_in_file", action="skip", duplicate_row=first["row"],
                            match_reason=next(kind for kind, key in row_keys if seen.get((kind, key)) is first))
                continue
            for key in row_keys:
                seen.setdefault(key, vals)
            for kind, key in row_keys:
                partner_id = found[kind].get(key)
                if partner_id:
                    curator, private = curators.get(partner_id, (None, False))
                    vals.update(
                        state="match", partner_id=partner_id, match_reason=kind, match_private=bool(private),
                        # a private client's curator is one of the details the importer must not learn
                        match_user_id=False if private else curator,
                        action="complete" if curator in (self.owner_id.id, None) else "conflict",
                    )
                    break

    # ------------------------------------------------------------------
    # Confirmation
    # ------------------------------------------------------------------
    def action_confirm(self):
        """Apply the previewed choices: create the new clients, add the missing
        data to the matched ones, list the conflicts for the head."""
        self._check_manager()
        for intake in self:
            if intake.state != "preview":
                raise UserError(_("Preview the list before importing it."))
            content = base64.b64decode(intake.with_context(bin_size=False).file or b"")
            if hashlib.sha1(content).hexdigest() != intake.file_checksum:
                raise UserError(_("The file changed since the preview: preview it again."))
            intake.sudo().with_context(tracking_disable=True, mail_create_nolog=True,
                                       mail_create_nosubscribe=True, mail_auto_subscribe_no_notify=True)._confirm()
        return True

    def _confirm(self):
        self.ensure_one()
        lines = self.line_ids
        now = fields.Datetime.now()
        created = lines.filtered(lambda line: line.state == "new" and line.action == "create")
        for start in range(0, len(created), CREATE_CHUNK):
            self._create_clients(created[start:start + CREATE_CHUNK])
        matches = lines.filtered(lambda line: line.state == "match")
        matches.filtered(lambda m: m.action == "complete")._complete_partners()
        matches.filtered(lambda m: m.action == "conflict").write(
            {"state": "conflict", "result": "conflict", "conflict_decision": "pending"})
        matches.filtered(lambda m: m.action == "skip").write({"result": "skipped"})
        (lines - created - matches).filtered(lambda line: not line.result).write({"result": "skipped"})
        self.write({"state": "done", "confirm_date": now, "confirm_user_id": self.env.uid})
        conflicts = matches.filtered(lambda line: line.state == "conflict")
        if conflicts:
            self._schedule_conflict_activity(len(conflicts))
        self.message_post(
            body=Markup("<p>%s</p>") % _(
                "Imported: %(created)s new clients, %(completed)s completed, %(conflicts)s conflicts for the head, "
                "%(skipped)s rows skipped.",
                created=len(created), completed=len(matches.filtered(lambda m: m.result == "completed")),
                conflicts=len(conflicts), skipped=len(lines.filtered(lambda m: m.result == "skipped")),
            ),
            message_type="comment", subtype_xmlid="mail.mt_note",
        )

    def _create_clients(self, lines):
        """The new clients of ``lines`` (a chunk of the file) in one ORM
        ``create`` (Client Guard's checks, the curator history and the audit
        see them as usual), their contact persons in a second one, and the
        rows updated with one statement."""
        Partner = self.env["res.partner"]
        with shared_defaults():
            partners = Partner.create([line._prepare_partner(self) for line in lines])
        by_line = dict(zip(lines.ids, partners.ids, strict=True))
        Partner._intake_create_contacts([
            {"name": line.contact_name, "parent_id": by_line[line.id]} for line in lines if line.contact_name])
        self.env.cr.execute(
            """
            UPDATE client_guard_intake_line l SET result = 'created', result_partner_id = d.partner_id
              FROM unnest(%s::int[], %s::int[]) AS d(line_id, partner_id) WHERE l.id = d.line_id
            """, (lines.ids, partners.ids))
        lines.invalidate_recordset(["result", "result_partner_id"])
        return partners

    def _head(self):
        self.ensure_one()
        return self.team_id.user_id or self.confirm_user_id or self.env.user

    def _schedule_conflict_activity(self, count):
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_("Decide %s client conflicts of an intake", count),
            note=_("Clients of the list of %(owner)s are already curated by other managers: "
                   "decide who keeps each of them.", owner=self.owner_id.name),
            user_id=self._head().id,
        )

    def _close_conflict_activity(self):
        for intake in self:
            if not intake.line_ids.filtered(lambda line: line.conflict_decision == "pending"):
                intake.activity_ids.filtered(
                    lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
                ).action_feedback(feedback=_("All conflicts decided."))

    # ------------------------------------------------------------------
    # Undo
    # ------------------------------------------------------------------
    def action_revert(self):
        """Undo an intake like a curator transfer: remove the clients it created
        and the data it added, give back the clients a conflict handed over,
        skipping whatever was changed since (reported)."""
        self._check_manager()
        for intake in self:
            if intake.state != "done":
                raise UserError(_("Only an imported list can be undone."))
            intake.sudo()._revert()
        return True

    def _revert(self):
        self.ensure_one()
        limit = (self.confirm_date or fields.Datetime.now()) + timedelta(seconds=1)
        Partner = self.env["res.partner"].with_context(active_test=False)
        skipped, reverted = [], 0
        created = self.line_ids.filtered(lambda line: line.result == "created" and line.result_partner_id)
        partners = created.result_partner_id.exists()
        changed = partners.filtered(
            lambda p: (p.write_date and p.write_date > limit)
            or any(c.write_date and c.write_date > limit for c in p.child_ids)
        )
        if changed:
            skipped.append(_("%(count)s created clients changed since the import: %(names)s",
                             count=len(changed), names=", ".join(changed.mapped("display_name")[:20])))
        removable = partners - changed
        if removable:
            Partner.search([("parent_id", "in", removable.ids)]).unlink()
            removable.unlink()
            reverted += len(removable)
        for line in self.line_ids.filtered(lambda line: line.result in ("completed", "given")):
            if line._undo_on_partner(limit):
                reverted += 1
            else:
                skipped.append(_("row %(row)s: client changed since the import", row=line.row))
        report = _("%s clients restored or removed.", reverted)
        if skipped:
            report += "\n" + _("Skipped:") + "\n- " + "\n- ".join(skipped)
        self.write({"state": "partially_reverted" if skipped else "reverted", "revert_date": fields.Datetime.now(),
                    "revert_user_id": self.env.uid, "revert_report": report})
        self.activity_ids.unlink()
        self.message_post(body=Markup("<p>%s</p>") % report, message_type="comment", subtype_xmlid="mail.mt_note")
        return report

    def action_open_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("client_guard_intake.action_client_guard_intake_line")
        action["domain"] = [("intake_id", "=", self.id)]
        action["context"] = {"search_default_group_state": 1}
        return action
