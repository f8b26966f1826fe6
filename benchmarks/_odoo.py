"""Shared set-up of the benchmark scripts: an Odoo 18.0 registry on a
database of their own, with the suite's addons on the path."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_PARSED = []


def addons_path():
    import odoo  # noqa: PLC0415

    paths = [os.path.join(ROOT, "addons"), os.path.join(os.path.dirname(odoo.__file__), "addons")]
    root_addons = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons")
    if os.path.isdir(root_addons):
        paths.append(root_addons)
    return ",".join(paths)


def db_args():
    return ["--db_host", os.environ.get("PGHOST", "127.0.0.1"), "--db_user", os.environ.get("PGUSER", "odoo"),
            "--db_password", os.environ.get("PGPASSWORD", "odoo")]


def install(db, modules, drop=True, addons=None):
    """(Re)create ``db`` with ``modules`` installed, without demo data
    (``addons``: an extra addons folder)."""
    if drop:
        subprocess.run(["dropdb", "--if-exists", "-h", os.environ.get("PGHOST", "127.0.0.1"),
                        "-U", os.environ.get("PGUSER", "odoo"), db], check=False)
    subprocess.run([sys.executable, "-m", "odoo", "-c", os.path.join(ROOT, "odoo.conf"), "-d", db,
                    "--addons-path", addons_path() + (f",{addons}" if addons else ""), *db_args(),
                    "-i", modules, "--without-demo", "all",
                    "--stop-after-init", "--log-level", "warn", "--http-port", "0"], check=True)


def registry(db, addons=None):
    import odoo  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    if not _PARSED:  # Odoo's config parser cannot parse twice in one process
        paths = addons_path() + (f",{addons}" if addons else "")
        config.parse_config(["-c", os.path.join(ROOT, "odoo.conf"), "--addons-path", paths, *db_args(),
                             "--log-level", "warn"])
        _PARSED.append(True)
    return odoo.modules.registry.Registry(db)
