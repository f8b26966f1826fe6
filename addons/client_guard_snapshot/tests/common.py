import csv
import gzip
import io
import zipfile

import openpyxl

from odoo.tests import new_test_user

from odoo.addons.client_guard.tests.common import ClientGuardCase


class SnapshotCase(ClientGuardCase):
    """Client Guard's users and clients, a security officer, and calls."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_officer = new_test_user(
            cls.env, "cg_officer", groups="base.group_user,client_guard.group_security_officer")
        cls.Snapshot = cls.env["client_guard.snapshot"]
        cls.env["ir.config_parameter"].sudo().set_param("client_guard_snapshot.retention_days", 30)
        cls.country = cls.env.ref("base.ru")
        cls.client_own.write({"street": "Tverskaya 1", "city": "Moscow", "zip": "125009",
                              "country_id": cls.country.id, "vat": "7701234567"})
        cls.contact_archived = cls.env["res.partner"].create({
            "name": "Archived contact", "parent_id": cls.client_b.id, "email": "gone@client.example",
        })
        cls.contact_archived.active = False
        Call = cls.env["pbx.call"].sudo()
        Call.create([
            {"uniqueid": "snap.1", "start": "2026-11-20 10:00:00", "partner_id": cls.client_own.id,
             "direction": "inbound"},
            {"uniqueid": "snap.2", "start": "2026-11-23 15:30:00", "partner_id": cls.client_own.id,
             "direction": "outbound"},
            {"uniqueid": "snap.3", "start": "2026-11-21 09:00:00", "partner_id": cls.contact_own.id,
             "direction": "inbound"},
        ])

    def attachments(self, snapshot):
        return self.env["ir.attachment"].sudo().search([
            ("res_model", "=", "client_guard.snapshot"), ("res_id", "=", snapshot.id),
            ("res_field", "in", ("xlsx_file", "csv_file")),
        ])

    def csv_rows(self, snapshot):
        attachment = self.attachments(snapshot).filtered(lambda a: a.res_field == "csv_file")
        with gzip.open(io.BytesIO(attachment.raw), "rt", encoding="utf-8", newline="") as handle:
            return {int(row["id"]): row for row in csv.DictReader(handle)}

    def xlsx_rows(self, snapshot):
        attachment = self.attachments(snapshot).filtered(lambda a: a.res_field == "xlsx_file")
        with zipfile.ZipFile(io.BytesIO(attachment.raw)) as archive:
            self.assertEqual(archive.namelist(), [snapshot.xlsx_filename.removesuffix(".zip")])
            xlsx = archive.read(archive.namelist()[0])
        workbook = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
        rows = list(workbook.active.iter_rows(values_only=True))
        header = rows[0]
        return header, {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
