from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SnapshotCase


@tagged("post_install", "-at_install")
class TestSnapshot(SnapshotCase):

    def test_cron_snapshot_content(self):
        """The nightly job stores every client and contact, archived ones
        included, with curator, department and calls, in XLSX and CSV.GZ."""
        before = self.Snapshot.search([])
        self.Snapshot._cron_take_snapshot()
        snapshot = self.Snapshot.search([]) - before
        self.assertEqual(len(snapshot), 1)
        self.assertEqual(snapshot.state, "done")
        self.assertTrue(snapshot.xlsx_filename.endswith(".xlsx.zip"))
        self.assertTrue(snapshot.csv_filename.endswith(".csv.gz"))
        self.assertEqual(len(self.attachments(snapshot)), 2)
        clients = self.env["res.partner"].with_context(active_test=False).search_count([("is_client", "=", True)])
        self.assertEqual(snapshot.partner_count, clients)

        rows = self.csv_rows(snapshot)
        self.assertEqual(len(rows), clients)
        own = rows[self.client_own.id]
        self.assertEqual(own["name"], "Client of own")
        self.assertEqual(own["is_company"], "1")
        self.assertEqual(own["curator_id"], str(self.user_own.id))
        self.assertEqual(own["curator_login"], "cg_own")
        self.assertEqual(own["curator_name"], self.user_own.name)
        self.assertEqual(own["team_id"], str(self.team_a.id))
        self.assertEqual(own["team_name"], "Sales A")
        self.assertEqual(own["email"], "own@client.example")
        self.assertEqual(own["phone"], "+7 495 111-11-11")
        self.assertEqual(own["vat"], "7701234567")
        self.assertEqual(own["country_code"], "RU")
        self.assertEqual(own["city"], "Moscow")
        self.assertEqual(own["call_count"], "2")
        self.assertEqual(own["last_call"], "2026-11-23 15:30:00")
        self.assertEqual(own["active"], "1")
        self.assertEqual(own["parent_id"], "")
        contact = rows[self.contact_own.id]
        self.assertEqual(contact["parent_id"], str(self.client_own.id))
        self.assertEqual(contact["parent_name"], "Client of own")
        self.assertEqual(contact["curator_login"], "cg_own")  # contacts carry their company's curator
        self.assertEqual(contact["call_count"], "1")
        self.assertEqual(rows[self.client_private.id]["is_private"], "1")
        self.assertEqual(rows[self.client_b.id]["call_count"], "0")
        self.assertEqual(rows[self.contact_archived.id]["active"], "0")
        # users' own partners and the company's partner are not clients
        self.assertNotIn(self.user_own.partner_id.id, rows)
        self.assertNotIn(self.env.company.partner_id.id, rows)

        header, xlsx = self.xlsx_rows(snapshot)
        self.assertEqual(header[:3], ("ID", "Name", "Is a Company"))
        self.assertEqual(len(xlsx), clients)
        own = xlsx[self.client_own.id]
        self.assertEqual(own["Curator Login"], "cg_own")
        self.assertEqual(own["Department"], "Sales A")
        self.assertEqual(own["Calls"], 2)
        self.assertEqual(own["Last Call (UTC)"], datetime(2026, 11, 23, 15, 30))
        self.assertIs(own["Is a Company"], True)
        self.assertIs(xlsx[self.contact_archived.id]["Active"], False)
        self.assertEqual(xlsx[self.contact_own.id]["Company ID"], self.client_own.id)

    def test_headers_in_company_language(self):
        """The nightly job writes the XLSX headers in the company's language."""
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(["client_guard_snapshot"], ["ru_RU"], overwrite=True)
        self.env.company.partner_id.lang = "ru_RU"
        before = self.Snapshot.search([])
        self.Snapshot._cron_take_snapshot()
        snapshot = self.Snapshot.search([]) - before
        header, xlsx = self.xlsx_rows(snapshot)
        self.assertEqual(header[:3], ("ID", "Название", "Это компания"))
        self.assertIn("Куратор", header)
        self.assertEqual(len(set(header)), len(header))
        self.assertTrue(snapshot.name.startswith("Клиентская база"))
        self.assertEqual(xlsx[self.client_own.id]["Логин куратора"], "cg_own")

    def test_formula_stays_text(self):
        """A name that looks like a formula is stored as text in the XLSX."""
        partner = self.env["res.partner"].create({"name": "=HYPERLINK(\"http://evil\",\"x\")", "is_company": True})
        snapshot = self.Snapshot._take_snapshot()
        _header, xlsx = self.xlsx_rows(snapshot)
        self.assertEqual(xlsx[partner.id]["Name"], "=HYPERLINK(\"http://evil\",\"x\")")

    def test_salesperson_refused(self):
        """An own-level salesperson cannot read snapshots, their files, or
        take one; the refusal is logged."""
        snapshot = self.Snapshot._take_snapshot()
        attachments = self.attachments(snapshot)
        count = self.Snapshot.search_count([])
        as_sales = self.Snapshot.with_user(self.user_own)
        with self.assertRaises(AccessError):
            as_sales.search([])
        with self.assertRaises(AccessError):
            snapshot.with_user(self.user_own).read(["name", "xlsx_file"])
        with self.assertRaises(AccessError):
            as_sales.action_take_snapshot()
        with self.assertRaises(AccessError):
            as_sales._take_snapshot()
        Attachment = self.env["ir.attachment"].with_user(self.user_own)
        with self.assertRaises(AccessError):
            attachments.with_user(self.user_own).read(["datas", "raw"])
        for attachment in attachments:
            with self.assertRaises(AccessError):
                attachment.with_user(self.user_own).datas  # noqa: B018
        self.assertFalse(Attachment.search_read([("res_model", "=", "client_guard.snapshot")], ["name"]))
        self.assertFalse(Attachment.search_read([("id", "in", attachments.ids)], ["name"]))
        self.assertFalse(Attachment.search([("res_field", "in", ["xlsx_file", "csv_file"])]))
        self.assertEqual(self.Snapshot.search_count([]), count)
        self.assertEqual(len(self.attachments(snapshot)), 2)
        # nor can an internal user who manages contacts
        with self.assertRaises(AccessError):
            self.Snapshot.with_user(self.user_plain).search([])

    def test_officer_and_admin(self):
        """The officer reads snapshots and their files and takes one by hand;
        deleting is for administrators only."""
        as_officer = self.Snapshot.with_user(self.user_officer)
        as_officer.action_take_snapshot()
        snapshot = as_officer.search([], limit=1)
        self.assertEqual(snapshot.user_id, self.user_officer)
        self.assertTrue(snapshot.xlsx_file)
        self.assertTrue(self.env["ir.attachment"].with_user(self.user_officer).search_read(
            [("res_model", "=", "client_guard.snapshot"), ("res_id", "=", snapshot.id),
             ("res_field", "=", "csv_file")], ["raw"]))
        with self.assertRaises(AccessError):
            snapshot.unlink()
        self.assertTrue(snapshot.exists())
        with self.assertRaises(AccessError):
            snapshot.with_user(self.user_officer).write({"name": "renamed"})
        with self.assertRaises(AccessError):
            as_officer.create({"name": "forged"})
        snapshot.with_user(self.user_admin).unlink()
        self.assertFalse(snapshot.exists())
        self.assertFalse(self.attachments(snapshot))

    def test_retention(self):
        """The job deletes snapshots older than the retention, and only those."""
        now = fields.Datetime.now()
        old = self.Snapshot._take_snapshot()
        old.date = now - timedelta(days=31)
        recent = self.Snapshot._take_snapshot()
        recent.date = now - timedelta(days=29)
        old_files = self.attachments(old)
        self.Snapshot._cron_take_snapshot()
        self.assertFalse(old.exists())
        self.assertFalse(old_files.exists())
        self.assertTrue(recent.exists())
        self.assertEqual(len(self.attachments(recent)), 2)
        self.assertTrue(self.Snapshot.search([("date", ">=", now)]))
        # 0 keeps them all
        self.env["ir.config_parameter"].set_param("client_guard_snapshot.retention_days", 0)
        recent.date = now - timedelta(days=400)
        self.Snapshot._cron_take_snapshot()
        self.assertTrue(recent.exists())

    def test_failed_snapshot_deletes_nothing(self):
        """A snapshot that fails is recorded as failed; old ones are kept."""
        old = self.Snapshot._take_snapshot()
        old.date = fields.Datetime.now() - timedelta(days=90)
        disk_full = OSError(28, "No space left on device")
        module = "odoo.addons.client_guard_snapshot.models.client_guard_snapshot"
        with patch(f"{module}.xlsxwriter.Workbook", side_effect=disk_full), mute_logger(module):
            self.Snapshot._cron_take_snapshot()
        failed = self.Snapshot.search([("state", "=", "failed")])
        self.assertEqual(len(failed), 1)
        self.assertTrue(failed.error)
        self.assertTrue(old.exists())

    def test_settings(self):
        settings = self.env["res.config.settings"].create({"client_guard_snapshot_retention_days": 10})
        settings.execute()
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("client_guard_snapshot.retention_days"), "10")
        self.assertEqual(self.Snapshot._retention_days(), 10)
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"client_guard_snapshot_retention_days": -1})
