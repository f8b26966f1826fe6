import csv
import functools
import gzip
import io
import logging
import os
import tempfile
import time
import zipfile
from datetime import timedelta

import pytz
import xlsxwriter

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_datetime
from odoo.tools.translate import LazyTranslate

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

SNAPSHOT_GROUPS = ("base.group_system", "client_guard.group_security_officer")
RETENTION_PARAM = "client_guard_snapshot.retention_days"
DEFAULT_RETENTION_DAYS = 30
BATCH_SIZE = 5000

# (CSV column = stable technical key, XLSX header = translated label). The CSV
# is the machine-readable copy the restore wizard reads; the XLSX is for people.
COLUMNS = (
    ("id", _lt("ID")),
    ("name", _lt("Name")),
    ("is_company", _lt("Is a Company")),
    ("type", _lt("Address Type")),
    ("parent_id", _lt("Company ID")),
    ("parent_name", _lt("Company")),
    ("function", _lt("Job Position")),
    ("curator_id", _lt("Curator ID")),
    ("curator_login", _lt("Curator Login")),
    ("curator_name", _lt("Curator")),
    ("team_id", _lt("Department ID")),
    ("team_name", _lt("Department")),
    ("email", _lt("Email")),
    ("phone", _lt("Phone")),
    ("mobile", _lt("Mobile")),
    ("vat", _lt("Tax ID")),
    ("street", _lt("Street")),
    ("street2", _lt("Street 2")),
    ("zip", _lt("ZIP")),
    ("city", _lt("City")),
    ("country_code", _lt("Country Code")),
    ("country_name", _lt("Country")),
    ("is_private", _lt("Private Client")),
    ("registration_date", _lt("Registration Date")),
    ("call_count", _lt("Calls")),
    ("last_call", _lt("Last Call (UTC)")),
    ("active", _lt("Active")),
)
COLUMN_KEYS = tuple(key for key, _label in COLUMNS)
NUMBER_COLUMNS = {"id", "parent_id", "curator_id", "team_id", "call_count"}
BOOLEAN_COLUMNS = {"is_company", "is_private", "active"}
DATE_COLUMNS = {"registration_date": "yyyy-mm-dd", "last_call": "yyyy-mm-dd hh:mm:ss"}


class ClientGuardSnapshot(models.Model):
    _name = "client_guard.snapshot"
    _description = "Client Base Snapshot"
    _order = "date desc, id desc"

    name = fields.Char(required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, index=True, default=fields.Datetime.now)
    state = fields.Selection(
        [("done", "Done"), ("failed", "Failed")], required=True, readonly=True, default="done")
    user_id = fields.Many2one("res.users", string="Taken by", readonly=True, ondelete="set null",
                              help="The user who took the snapshot by hand; empty for the scheduled job.")
    partner_count = fields.Integer(string="Partners", readonly=True,
                                   help="Clients and contacts in the snapshot, archived ones included.")
    client_count = fields.Integer(string="Clients", readonly=True, help="Partners without a parent company.")
    contact_count = fields.Integer(string="Contacts", readonly=True, help="Partners under a client company.")
    duration = fields.Float(string="Duration (s)", readonly=True, digits=(16, 1))
    xlsx_file = fields.Binary(string="XLSX File", attachment=True, readonly=True, groups=",".join(SNAPSHOT_GROUPS),
                              help="The XLSX file in a ZIP archive.")
    xlsx_filename = fields.Char(string="XLSX File Name", readonly=True)
    xlsx_size = fields.Integer(string="XLSX Size (bytes)", readonly=True, help="Size of the ZIP archive.")
    csv_file = fields.Binary(string="CSV File", attachment=True, readonly=True, groups=",".join(SNAPSHOT_GROUPS),
                             help="Gzip-compressed CSV, the copy the restore wizard reads.")
    csv_filename = fields.Char(string="CSV File Name", readonly=True)
    csv_size = fields.Integer(string="CSV Size (bytes)", readonly=True)
    error = fields.Text(readonly=True)

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    @api.model
    def _check_snapshot_rights(self, action):
        """Only administrators and security officers read, take or restore
        snapshots; anyone else is refused and logged."""
        if self.env.su or any(self.env.user.has_group(group) for group in SNAPSHOT_GROUPS):
            return
        message = _("Only administrators and security officers may %s.", action)
        self.env["client_guard.security.event"]._log_refusal("write_refused", message, model=self._name,
                                                             res_ids=self.ids)
        raise AccessError(message)

    @api.model
    def _retention_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param(RETENTION_PARAM, DEFAULT_RETENTION_DAYS)
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            _logger.warning("Invalid %s %r: using %s days", RETENTION_PARAM, value, DEFAULT_RETENTION_DAYS)
            return DEFAULT_RETENTION_DAYS

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_take_snapshot(self):
        """"Take snapshot now" button: the same work as the nightly job. The
        list's header button calls it on the selected rows (none, usually):
        they do not matter."""
        self._check_snapshot_rights(_("take snapshots of the client base"))
        snapshot = self.sudo()._take_snapshot(taken_by=self.env.user)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": snapshot.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_open_restore(self):
        self.ensure_one()
        self._check_snapshot_rights(_("restore clients from a snapshot"))
        return {
            "type": "ir.actions.act_window",
            "name": _("Restore deleted clients"),
            "res_model": "client_guard.snapshot.restore",
            "view_mode": "form",
            "target": "new",
            "context": {"default_snapshot_id": self.id},
        }

    # ------------------------------------------------------------------
    # Scheduled job
    # ------------------------------------------------------------------
    @api.model
    def _cron_take_snapshot(self):
        """Take a snapshot, then delete the snapshots older than the
        retention. A failed snapshot is recorded and deletes nothing."""
        # the job runs as OdooBot: headers and name in the company's language
        lang = self.env.company.partner_id.lang or self.env.lang
        try:
            with self.env.cr.savepoint():
                self.sudo().with_context(lang=lang)._take_snapshot()
        except Exception as exc:  # pylint: disable=broad-except
            _logger.exception("Client base snapshot failed")
            self.sudo().create({
                "name": _("Client base %s (failed)", self._snapshot_label(fields.Datetime.now())),
                "state": "failed",
                "error": str(exc),
            })
            return
        self._remove_expired()

    @api.model
    def _remove_expired(self):
        days = self._retention_days()
        if not days:
            return self.browse()
        limit = fields.Datetime.now() - timedelta(days=days)
        expired = self.sudo().search([("date", "<", limit)])
        if expired:
            _logger.info("Removing %s client base snapshots older than %s days", len(expired), days)
            expired.unlink()
        return expired

    # ------------------------------------------------------------------
    # Taking a snapshot
    # ------------------------------------------------------------------
    @api.model
    def _snapshot_tz(self):
        """One time zone for every snapshot's name and file names: the
        company's, else the user's, else UTC (the job runs as OdooBot)."""
        return self.env.company.partner_id.tz or self.env.user.tz or "UTC"

    @api.model
    def _snapshot_label(self, date):
        return format_datetime(self.env, date, tz=self._snapshot_tz(), dt_format="yyyy-MM-dd HH:mm")

    @api.model
    def _take_snapshot(self, taken_by=None):
        """Write every client and contact (archived ones too) to a zipped XLSX
        and a gzip-compressed CSV file, streaming rows from SQL in batches, and store
        both as attachments of a new snapshot. Must run as superuser."""
        if not self.env.su:
            raise AccessError(_("Snapshots are taken by the scheduled job or the “Take snapshot now” button."))
        started = time.perf_counter()
        now = fields.Datetime.now()
        local = pytz.utc.localize(now).astimezone(pytz.timezone(self._snapshot_tz()))
        stamp = local.strftime("%Y-%m-%d_%H%M%S")
        counts = {"clients": 0, "contacts": 0}
        xlsx_name = f"client_base_{stamp}.xlsx"
        zip_name = f"{xlsx_name}.zip"
        csv_name = f"client_base_{stamp}.csv.gz"
        with tempfile.TemporaryDirectory(prefix="client_guard_snapshot_") as tmpdir:
            xlsx_path = os.path.join(tmpdir, xlsx_name)
            zip_path = os.path.join(tmpdir, zip_name)
            csv_path = os.path.join(tmpdir, csv_name)
            self._write_files(xlsx_path, csv_path, counts)
            # an XLSX is a ZIP already, but its sheet is deflated in 32 KB
            # windows: zipping it once more halves it on large bases
            with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.write(xlsx_path, arcname=xlsx_name)
            with open(zip_path, "rb") as handle:
                xlsx_data = handle.read()
            with open(csv_path, "rb") as handle:
                csv_data = handle.read()
        snapshot = self.create({
            "name": _("Client base %s", self._snapshot_label(now)),
            "date": now,
            "state": "done",
            "user_id": taken_by.id if taken_by else False,
            "partner_count": counts["clients"] + counts["contacts"],
            "client_count": counts["clients"],
            "contact_count": counts["contacts"],
            "xlsx_filename": zip_name,
            "xlsx_size": len(xlsx_data),
            "csv_filename": csv_name,
            "csv_size": len(csv_data),
        })
        # the files are the snapshot's binary fields: ir.attachment rows with
        # res_field set, readable only by whoever may read the snapshot's fields
        self.env["ir.attachment"].create([
            {"name": zip_name, "res_model": self._name, "res_id": snapshot.id, "res_field": "xlsx_file",
             "type": "binary", "raw": xlsx_data, "mimetype": "application/zip"},
            {"name": csv_name, "res_model": self._name, "res_id": snapshot.id, "res_field": "csv_file",
             "type": "binary", "raw": csv_data, "mimetype": "application/gzip"},
        ])
        snapshot.invalidate_recordset(["xlsx_file", "csv_file"])
        snapshot.duration = time.perf_counter() - started
        _logger.info("Client base snapshot %s: %s partners in %.1f s (XLSX %s bytes, CSV.GZ %s bytes)",
                     snapshot.name, snapshot.partner_count, snapshot.duration, len(xlsx_data), len(csv_data))
        return snapshot

    def _write_files(self, xlsx_path, csv_path, counts):
        workbook = xlsxwriter.Workbook(xlsx_path, {
            "constant_memory": True,  # rows are flushed to disk as they are written
            "tmpdir": os.path.dirname(xlsx_path),
            # client data is data: never turn "=..." into a formula or text into links
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        })
        try:
            sheet = workbook.add_worksheet(_("Clients"))
            bold = workbook.add_format({"bold": True})
            # one typed writer per column: ``write`` would guess the type of every cell
            writers = []
            for key in COLUMN_KEYS:
                if key in DATE_COLUMNS:
                    date_format = workbook.add_format({"num_format": DATE_COLUMNS[key]})
                    writers.append(functools.partial(self._write_date, sheet, date_format))
                elif key in NUMBER_COLUMNS:
                    writers.append(sheet.write_number)
                elif key in BOOLEAN_COLUMNS:
                    writers.append(sheet.write_boolean)
                else:
                    writers.append(sheet.write_string)
            sheet.write_row(0, 0, [self.env._(label) for _key, label in COLUMNS], bold)
            sheet.freeze_panes(1, 0)
            parent_index = COLUMN_KEYS.index("parent_id")
            boolean_indexes = [COLUMN_KEYS.index(key) for key in BOOLEAN_COLUMNS]
            with gzip.open(csv_path, "wt", encoding="utf-8", newline="", compresslevel=6) as csv_handle:
                writer = csv.writer(csv_handle)
                writer.writerow(COLUMN_KEYS)
                row_index = 0
                for row in self._snapshot_rows():
                    row_index += 1
                    counts["contacts" if row[parent_index] else "clients"] += 1
                    # csv writes None as "" and dates as ISO; booleans as 1/0
                    values = list(row)
                    for index in boolean_indexes:
                        values[index] = 1 if values[index] else 0
                    writer.writerow(values)
                    for col, value in enumerate(row):
                        if value is not None and value != "":
                            writers[col](row_index, col, value)
            sheet.autofilter(0, 0, row_index, len(COLUMNS) - 1)
        finally:
            workbook.close()

    @staticmethod
    def _write_date(sheet, date_format, row, col, value):
        sheet.write_datetime(row, col, value, date_format)

    def _snapshot_rows(self, batch_size=BATCH_SIZE):
        """Yield one tuple per client and contact (ordered as COLUMNS), reading
        ``batch_size`` partners per query (keyset pagination on the id), with
        the calls summary from one grouped query over pbx.call."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("""
            SELECT partner_id, count(*), max(start)
              FROM pbx_call
             WHERE partner_id IS NOT NULL
          GROUP BY partner_id
        """)
        calls = {partner_id: (count, last) for partner_id, count, last in cr.fetchall()}
        lang = self.env.lang or "en_US"
        last_id = 0
        no_calls = (0, None)
        while True:
            cr.execute(SQL(
                """
                SELECT p.id, p.name, p.is_company, p.type, p.parent_id, parent.name, p.function,
                       p.user_id, curator.login, curator_partner.name,
                       p.team_id, COALESCE(team.name->>%(lang)s, team.name->>'en_US'),
                       p.email, p.phone, p.mobile, p.vat, p.street, p.street2, p.zip, p.city,
                       country.code, COALESCE(country.name->>%(lang)s, country.name->>'en_US'),
                       COALESCE(p.is_private, false), p.registration_date, COALESCE(p.active, false)
                  FROM res_partner p
             LEFT JOIN res_partner parent ON parent.id = p.parent_id
             LEFT JOIN res_users curator ON curator.id = p.user_id
             LEFT JOIN res_partner curator_partner ON curator_partner.id = curator.partner_id
             LEFT JOIN crm_team team ON team.id = p.team_id
             LEFT JOIN res_country country ON country.id = p.country_id
                 WHERE p.is_client AND p.id > %(last_id)s
              ORDER BY p.id
                 LIMIT %(limit)s
                """,
                lang=lang, last_id=last_id, limit=batch_size,
            ))
            rows = cr.fetchall()
            if not rows:
                return
            for row in rows:
                yield row[:-1] + calls.get(row[0], no_calls) + row[-1:]
            last_id = rows[-1][0]
            if len(rows) < batch_size:
                return

    # ------------------------------------------------------------------
    # Reading a snapshot back
    # ------------------------------------------------------------------
    def _read_csv_rows(self, ids_only=False):
        """Yield the snapshot's rows as dicts keyed by COLUMNS (strings), or
        only their ids (ints) with ``ids_only``."""
        self.ensure_one()
        attachment = self.env["ir.attachment"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "=", self.id), ("res_field", "=", "csv_file"),
        ], limit=1)
        if self.state != "done" or not attachment:
            raise UserError(_("Snapshot %s has no CSV file to restore from.", self.name))
        with gzip.open(io.BytesIO(attachment.raw), "rt", encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            missing = set(COLUMN_KEYS) - set(header)
            if missing:
                raise UserError(_("The CSV file of snapshot %(snapshot)s lacks the columns %(columns)s.",
                                  snapshot=self.name, columns=", ".join(sorted(missing))))
            if ids_only:
                id_index = header.index("id")
                yield from (int(row[id_index]) for row in reader)
            else:
                yield from (dict(zip(header, row, strict=True)) for row in reader)

    def _restore_deleted_rows(self):
        """The snapshot's rows whose partner no longer exists at all (not even
        archived) and was not restored since, as ``{former id: row}``. Reads the CSV twice rather than
        keep 100,000 rows in memory: deletions are few, the base is large."""
        self.ensure_one()
        ids = list(self._read_csv_rows(ids_only=True))
        self.env["res.partner"].flush_model(["client_guard_restored_from_id"])
        self.env.cr.execute(
            """
            SELECT snap.id
              FROM unnest(%s::int[]) AS snap(id)
             WHERE NOT EXISTS (SELECT 1 FROM res_partner p WHERE p.id = snap.id)
               AND NOT EXISTS (SELECT 1 FROM res_partner p WHERE p.client_guard_restored_from_id = snap.id)
            """,
            [ids],
        )
        deleted = {row[0] for row in self.env.cr.fetchall()}
        if not deleted:
            return {}
        return {int(row["id"]): row for row in self._read_csv_rows() if int(row["id"]) in deleted}

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    def unlink(self):
        if not self.env.su and not self.env.user.has_group("base.group_system"):
            raise AccessError(_("Only administrators may delete client base snapshots."))
        return super().unlink()
