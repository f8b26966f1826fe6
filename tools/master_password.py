#!/usr/bin/env python3
"""Give Odoo a master password of its own, kept out of git.

The shipped ``odoo.conf`` has the database manager off (``list_db = False``)
and no ``admin_passwd``: Odoo would otherwise fall back to ``admin``. This
script writes a copy of ``odoo.conf`` with a master password into a data
directory and prints the path of that copy:

- the password comes from the environment (``ODOO_MASTER_PASSWORD``);
- otherwise from ``<data dir>/master_password`` written on an earlier start;
- otherwise it is generated, stored there (mode 0600) and printed once.

Used by ``docker compose`` (data dir ``/var/lib/odoo``) and ``./run-demo``.
"""

import argparse
import configparser
import os
import secrets
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV_VAR = "ODOO_MASTER_PASSWORD"
FILE_NAME = "master_password"


def master_password(data_dir):
    """Return ``(password, generated)``."""
    password = os.environ.get(ENV_VAR, "").strip()
    if password:
        return password, False
    path = os.path.join(data_dir, FILE_NAME)
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as handle:
            password = handle.read().strip()
        if password:
            return password, False
    password = secrets.token_urlsafe(24)
    os.makedirs(data_dir, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    return password, True


def write_conf(source, target, password, **options):
    """Copy ``source`` to ``target`` (mode 0600) with ``admin_passwd`` set."""
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(source, encoding="utf-8")
    if not conf.has_section("options"):
        conf.add_section("options")
    conf.set("options", "admin_passwd", password)
    for key, value in options.items():
        conf.set("options", key, str(value))
    os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        conf.write(handle)
    return target


def prepare(data_dir, source=None, target=None, out=sys.stderr):
    """Write the configuration with a master password; announce a new password once."""
    source = source or os.path.join(ROOT, "odoo.conf")
    target = target or os.path.join(data_dir, "odoo.conf")
    password, generated = master_password(data_dir)
    if generated:
        print(
            f"Generated the Odoo master password (database manager; stored in "
            f"{os.path.join(data_dir, FILE_NAME)}): {password}",
            file=out, flush=True,
        )
    return write_conf(source, target, password)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True, help="where the password and the configuration are kept")
    parser.add_argument("--source", default=os.path.join(ROOT, "odoo.conf"))
    parser.add_argument("--target", help="configuration to write (default: <data dir>/odoo.conf)")
    args = parser.parse_args()
    print(prepare(args.data_dir, args.source, args.target))


if __name__ == "__main__":
    main()
