import threading
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.api import Transaction
from odoo.tests import TransactionCase, tagged

from odoo.addons.shift_close_check.models.work_shift import WorkShift

LOGIN = "shift_race_employee"
PASSWORD = "Shift-race-2026!"


@tagged("post_install", "-at_install")
class TestConcurrentLogins(TransactionCase):
    """Two logins of one employee at the same moment (two browser tabs, the
    web client and the mobile app): each runs in its own transaction, both see
    no open shift and both open one. The second insert meets the first one's
    row in the unique index of open shifts; PostgreSQL reports a serialization
    failure (the row is not in its snapshot), which ``_ensure_open`` takes as
    "opened by the other login". Neither login fails and there is one shift.

    The logins commit like real ones, on cursors of their own: the employee is
    created in a committed transaction and removed again at the end."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            user = env["res.users"].with_context(no_reset_password=True).create({
                "name": "Shift race employee", "login": LOGIN, "password": PASSWORD,
                "groups_id": [(6, 0, [env.ref("base.group_user").id])]})
            self.user_id = user.id
        self.addCleanup(self._remove_user)

    def _remove_user(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cr.execute("DELETE FROM work_shift WHERE user_id = %s", [self.user_id])
            cr.execute("DELETE FROM res_users_log WHERE create_uid = %s", [self.user_id])
            user = env["res.users"].browse(self.user_id)
            partner = user.partner_id
            user.unlink()
            partner.unlink()

    def _open_shifts(self):
        with self.registry.cursor() as cr:
            cr.execute("SELECT id FROM work_shift WHERE user_id = %s AND state = 'open'", [self.user_id])
            return [row[0] for row in cr.fetchall()]

    def test_two_logins_at_once_open_one_shift(self):
        self.assertEqual(self._open_shifts(), [])
        # both logins have looked for an open shift (none) before either inserts one
        barrier = threading.Barrier(2, timeout=60)
        insert = WorkShift._insert_open_shifts

        inserts = []

        def insert_together(shift, users):
            inserts.append(users.ids)
            barrier.wait()
            return insert(shift, users)

        results, errors = [], []

        def log_in():
            # what res.users._login does once the password is checked, on a cursor of its own (the
            # registry is built already: _login's Registry(dbname) would wait for the lock the test
            # runner holds)
            try:
                with self.registry.cursor() as cr:
                    cr.transaction = Transaction(self.registry)
                    user = api.Environment(cr, self.user_id, {})["res.users"].browse(self.user_id)
                    user._check_credentials({"type": "password", "login": LOGIN, "password": PASSWORD},
                                            {"interactive": True})
                    user._update_last_login()
                results.append(user.id)
            except Exception as exc:  # the assertion below shows it
                barrier.abort()
                errors.append(exc)

        with patch.object(WorkShift, "_insert_open_shifts", insert_together):
            threads = [threading.Thread(target=log_in) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
        self.assertEqual(errors, [])
        self.assertEqual(results, [self.user_id, self.user_id])
        # the race did happen: both logins saw no open shift and inserted one, at the same moment
        self.assertEqual(inserts, [[self.user_id], [self.user_id]])
        self.assertEqual(len(self._open_shifts()), 1)
        # and a later login finds that shift
        log_in()
        self.assertEqual(errors, [])
        self.assertEqual(len(self._open_shifts()), 1)
