import contextlib
import logging
import threading

import psycopg2

from odoo import SUPERUSER_ID, api, fields, models

_logger = logging.getLogger(__name__)


class ClientGuardExfiltrationMark(models.Model):
    """One row per (user, client) read: when the user last read the client.
    Written set-based, one statement per read call, in a short transaction of
    its own (see :meth:`_record_reads`)."""

    _name = "client_guard.exfiltration.mark"
    _description = "Client Guard: Client Read by a User"
    _order = "last_read desc, id desc"
    _log_access = False

    user_id = fields.Many2one("res.users", required=True, readonly=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Client", required=True, readonly=True, ondelete="cascade")
    last_read = fields.Datetime(required=True, readonly=True)

    _sql_constraints = [
        ("user_partner_unique", "unique(user_id, partner_id)", "One mark per user and client."),
    ]

    def init(self):
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS client_guard_exfiltration_mark_user_last_read_idx "
            "ON client_guard_exfiltration_mark (user_id, last_read)"
        )

    # ------------------------------------------------------------------
    # Hot path
    # ------------------------------------------------------------------
    @api.model
    @contextlib.contextmanager
    def _guard_cursor(self):
        """The cursor marks are written in. In production a short cursor of
        its own: reads run on a read-only cursor (``@api.readonly`` methods
        through JSON-RPC, a replica if configured), and the marks must not
        hold row locks until the end of the user's request. In tests there is
        only one cursor: a savepoint in it (on a read-only test request the
        write fails and Odoo retries the request on a read/write cursor)."""
        if self.env.registry.in_test_mode() or getattr(threading.current_thread(), "testing", False):
            if self.env.cr.readonly:
                # what PostgreSQL would answer, without its ERROR in the log
                raise psycopg2.errors.ReadOnlySqlTransaction("read marks need a read/write cursor")
            with self.env.cr.savepoint():
                yield self.env.cr
            return
        with self.env.registry.cursor() as cr:
            # a mark lost in a crash costs nothing: no need to wait for the WAL flush
            cr.execute("SET LOCAL lock_timeout = '2s'; SET LOCAL synchronous_commit = off")
            yield cr

    @api.model
    def _record_reads(self, uid, partner_ids, limits):
        """Mark ``partner_ids`` (the clients among them) as read by ``uid`` and
        apply the thresholds ``limits`` = (window minutes, alert, block).

        Returns ``(clients, count, refused)``: how many of ``partner_ids`` are
        clients, the distinct clients read in the window, and whether the read
        must be refused (user blocked before or by this read)."""
        window, alert_count, block_count = limits
        with self._guard_cursor() as cr:
            cr.execute(
                """
                WITH clients AS (
                    SELECT id FROM res_partner WHERE id = ANY(%(ids)s) AND is_client
                ), blocked AS (
                    SELECT EXISTS(SELECT 1 FROM client_guard_exfiltration_alert
                                   WHERE user_id = %(uid)s AND state = 'blocked') AS blocked
                ), marked AS (
                    INSERT INTO client_guard_exfiltration_mark (user_id, partner_id, last_read)
                    SELECT %(uid)s, clients.id, now() AT TIME ZONE 'UTC'
                      FROM clients WHERE NOT (SELECT blocked FROM blocked)
                     ORDER BY clients.id  -- same lock order in concurrent requests of a user
                    ON CONFLICT (user_id, partner_id) DO UPDATE SET last_read = EXCLUDED.last_read
                     WHERE client_guard_exfiltration_mark.last_read < EXCLUDED.last_read - interval '1 minute'
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM clients),
                       (SELECT blocked FROM blocked),
                       (SELECT count(*) FROM client_guard_exfiltration_mark mark
                         WHERE mark.user_id = %(uid)s
                           AND mark.last_read > (now() AT TIME ZONE 'UTC') - %(window)s * interval '1 minute'
                           AND mark.partner_id NOT IN (SELECT id FROM clients)),
                       (SELECT count(*) FROM marked)
                """,
                {"ids": list(partner_ids), "uid": uid, "window": window},
            )
            clients, blocked, others, _marked = cr.fetchone()
            if not clients:
                return 0, others, False
            if blocked:
                return clients, others, True
            count = others + clients
            if count <= alert_count:
                return clients, count, False
            env = api.Environment(cr, SUPERUSER_ID, self.env.context)
            state = "blocked" if count > block_count else "alerted"
            cr.execute("SET LOCAL synchronous_commit = on")  # alerts and blocks are durable
            try:
                with cr.savepoint():
                    env["client_guard.exfiltration.alert"]._escalate(uid, count, limits, state)
            except psycopg2.IntegrityError:
                # a concurrent request of the same user blocked them first (one blocked alert per user)
                _logger.info("user %s already blocked by a concurrent request", uid)
            return clients, count, state == "blocked"

    @api.model
    def _cron_forget_old_reads(self):
        """Delete the marks older than the longest window of the thresholds."""
        self.env.cr.execute("SELECT max(window_minutes) FROM client_guard_exfiltration_threshold")
        longest = self.env.cr.fetchone()[0] or 60
        self.env.cr.execute(
            "DELETE FROM client_guard_exfiltration_mark "
            "WHERE last_read < (now() AT TIME ZONE 'UTC') - %s * interval '1 minute'",
            (longest,),
        )
        return self.env.cr.rowcount
