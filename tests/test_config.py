"""The shipped configuration does not hand out the database: the database
manager is off, there is no master password in git, compose and ./run-demo
take one from the environment or generate it once."""

import configparser
import os
import subprocess
import sys
import xmlrpc.client

import pytest
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = os.path.join(ROOT, "tools", "master_password.py")


def read_conf(path):
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(path, encoding="utf-8")
    return conf["options"]


def test_shipped_conf_has_manager_off_and_no_master_password():
    options = read_conf(os.path.join(ROOT, "odoo.conf"))
    assert options.get("list_db") == "False"
    assert "admin_passwd" not in options


def test_compose_passes_a_master_password():
    with open(os.path.join(ROOT, "docker-compose.yml"), encoding="utf-8") as handle:
        compose = handle.read()
    assert "ODOO_MASTER_PASSWORD" in compose
    assert "tools/docker-start.sh" in compose
    assert "/mnt/suite/odoo.conf" not in compose, "compose must not run the shipped odoo.conf as is"


def run_tool(data_dir, env_password=None):
    env = dict(os.environ)
    env.pop("ODOO_MASTER_PASSWORD", None)
    if env_password:
        env["ODOO_MASTER_PASSWORD"] = env_password
    result = subprocess.run(
        [sys.executable, TOOL, "--data-dir", str(data_dir)],
        check=True, capture_output=True, text=True, env=env,
    )
    return result.stdout.strip(), result.stderr


def test_master_password_generated_once(tmp_path):
    conf_path, announce = run_tool(tmp_path)
    password = read_conf(conf_path)["admin_passwd"]
    assert password and password != "admin" and len(password) >= 24
    assert password in announce, "a generated password is printed once"
    assert oct(os.stat(tmp_path / "master_password").st_mode & 0o777) == "0o600"
    assert oct(os.stat(conf_path).st_mode & 0o777) == "0o600"
    assert read_conf(conf_path)["list_db"] == "False"
    conf_path, announce = run_tool(tmp_path)
    assert read_conf(conf_path)["admin_passwd"] == password, "kept across starts"
    assert password not in announce, "printed only when generated"


def test_master_password_from_environment(tmp_path):
    conf_path, announce = run_tool(tmp_path, env_password="s3cret-from-env")
    assert read_conf(conf_path)["admin_passwd"] == "s3cret-from-env"
    assert "s3cret-from-env" not in announce
    assert not (tmp_path / "master_password").exists()


def test_database_manager_refused(odoo_url, odoo_db):
    """The live server runs with the shipped odoo.conf: no database list, no
    backup even with Odoo's default master password."""
    dbs = xmlrpc.client.ServerProxy(f"{odoo_url}/xmlrpc/2/db")
    with pytest.raises(xmlrpc.client.Fault):
        dbs.list()
    with pytest.raises(xmlrpc.client.Fault):
        dbs.dump("admin", odoo_db, "zip")
    response = requests.post(
        f"{odoo_url}/web/database/backup",
        data={"master_pwd": "admin", "name": odoo_db, "backup_format": "zip"},
        timeout=60,
    )
    assert "application/octet-stream" not in response.headers.get("Content-Type", "")
    assert not response.content.startswith(b"PK"), "a database dump came back"
