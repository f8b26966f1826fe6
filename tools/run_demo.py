#!/usr/bin/env python3
"""Serve the suite with its demo data on a local Odoo 18.0 and PostgreSQL.

Starts a stopped local PostgreSQL cluster if needed, creates the database
``client_guard_demo`` with every module of ``addons/`` (and Sales, for the
order audit) and their demo data on the first run, then serves it on
http://localhost:8069 until interrupted. ``--reset`` drops the database first.

The database manager is off (``odoo.conf``); Odoo still gets a master password of
its own: ``ODOO_MASTER_PASSWORD``, or one generated on the first start, printed once
and kept in Odoo's data directory (``<data_dir>/client_guard_demo/master_password``).
"""

import argparse
import os
import sys

from master_password import prepare
from run_tests import check_odoo, db_params, ensure_postgres, modules, odoo_cmd, pg_connect

DEMO_DB = "client_guard_demo"


def database_exists(params, dbname):
    conn = pg_connect(params)
    with conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
        found = bool(cr.fetchone())
    conn.close()
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DEMO_DB)
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--reset", action="store_true", help="drop and re-create the demo database")
    args = parser.parse_args()
    odoo = check_odoo()
    params = db_params()
    ensure_postgres(params)
    if args.reset and database_exists(params, args.db):
        conn = pg_connect(params)
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE "{args.db}"')
        conn.close()
    serve = ["--http-port", str(args.port), "--db-filter", f"^{args.db}$", "--max-cron-threads", "1"]
    if not database_exists(params, args.db):
        print(f"Creating {args.db} with demo data (a few minutes) ...", flush=True)
        serve += ["-i", ",".join([*modules(), "sale"]), "--load-language", "ru_RU"]
    from odoo.tools import config  # noqa: PLC0415

    conf = prepare(os.path.join(config["data_dir"], "client_guard_demo"), out=sys.stdout)
    cmd = odoo_cmd(odoo, params, args.db, *serve, conf=conf)
    print("$", " ".join(cmd[2:]), flush=True)
    print(f"Odoo will answer on http://localhost:{args.port} (logins in README.md)", flush=True)
    os.execv(sys.executable, cmd)


if __name__ == "__main__":
    main()
