from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from .common import SnapshotCase


@tagged("post_install", "-at_install")
class TestSnapshotTimeZone(SnapshotCase):
    """A snapshot's name, its files and its date tell the same time (issue 10 §2)."""

    def test_name_and_files_in_the_company_time_zone(self):
        self.env.company.partner_id.tz = "Europe/Moscow"
        self.env.user.tz = "America/New_York"  # OdooBot or whoever: the company's zone wins
        moment = fields.Datetime.to_datetime("2026-11-30 22:15:00")  # 01:15 on Dec 1st in Moscow
        with patch.object(fields.Datetime, "now", return_value=moment):
            snapshot = self.Snapshot.sudo()._take_snapshot()
        self.assertEqual(snapshot.date, moment)
        self.assertIn("2026-12-01 01:15", snapshot.name)
        self.assertTrue(snapshot.csv_filename.startswith("client_base_2026-12-01_0115"), snapshot.csv_filename)
        self.assertTrue(snapshot.xlsx_filename.startswith("client_base_2026-12-01_0115"), snapshot.xlsx_filename)
