from odoo.api import call_kw
from odoo.tests import tagged

from .common import SnapshotCase


@tagged("post_install", "-at_install")
class TestTakeSnapshotButton(SnapshotCase):
    def test_list_button_takes_a_snapshot(self):
        """Issue 10: the list's "Take snapshot now" crashed with
        "action_take_snapshot() takes 1 positional argument but 2 were given"
        (the web client passes the selected ids, none here)."""
        Snapshot = self.env["client_guard.snapshot"].with_user(self.user_officer)
        action = call_kw(Snapshot, "action_take_snapshot", [[]], {})
        snapshot = self.Snapshot.browse(action["res_id"])
        self.assertEqual(snapshot.state, "done")
        self.assertEqual(snapshot.user_id, self.user_officer)
