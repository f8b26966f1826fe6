import logging

import psycopg2

from odoo import _, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class IrRule(models.Model):
    _inherit = "ir.rule"

    def init(self):
        """PostgreSQL's JIT compiler starts on queries whose estimated cost
        passes ``jit_above_cost``; the record rules' queries on a large client
        base (the pipeline grouped over opportunities whose clients the rules
        filter, at a million clients) pass it and pay tenths of a second of
        compilation on every call, for a query that runs in milliseconds. The
        suite turns JIT off for its own database when it installs (new
        connections; the server's other databases keep their setting)."""
        result = super().init()
        cr = self.env.cr
        try:
            with cr.savepoint(flush=False):
                cr.execute(SQL("ALTER DATABASE %s SET jit = off", SQL.identifier(cr.dbname)))
        except psycopg2.Error as exc:
            _logger.warning("Could not turn PostgreSQL's JIT off for database %s (%s): set jit = off in "
                            "postgresql.conf, or ALTER DATABASE as its owner.", cr.dbname, exc)
        return result

    def _make_access_error(self, operation, records):
        """Log the request of a private client. Odoo builds this error only on
        the refusal path (reads, writes, ``check_access``), so the normal path
        pays nothing."""
        if records._name == "res.partner" and records:
            private = records.sudo().with_context(active_test=False).filtered("is_private")
            if private:
                self.env["client_guard.security.event"]._log_refusal(
                    "private_refused",
                    _("Access (%(operation)s) to private client(s) %(clients)s refused.",
                      operation=operation, clients=", ".join(private[:20].mapped("display_name"))),
                    model="res.partner",
                    res_ids=private.ids[:200],
                )
        return super()._make_access_error(operation, records)
