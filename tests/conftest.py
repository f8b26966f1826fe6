"""Fixtures for the top-level tests: they talk to a live Odoo server over
XML-RPC and HTTP, as the users of the demo data would.

``./run-tests`` starts the server on the throwaway database and sets
ODOO_URL and ODOO_DB; the demo users log in with password = login.
"""

import os
import xmlrpc.client

import pytest

DEMO_LOGINS = {
    "admin": "admin",  # administrator, in no visibility group
    "head": "head",  # head of Sales Moscow (department level + manage curators)
    "ivan": "ivan",  # salesperson, own clients
    "maria": "maria",  # salesperson, department clients
    "olga": "olga",  # salesperson Saint Petersburg, own clients
    "dmitry": "dmitry",  # salesperson, all clients
    "anna": "anna",  # lead generation, department + extra departments
    "officer": "officer",  # security officer
}


class Rpc:
    """A logged-in XML-RPC connection: ``rpc("res.partner", "search", [[]])``."""

    def __init__(self, url, db, login, password):
        self.url, self.db, self.login, self.password = url, db, login, password
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(db, login, password, {})
        if not self.uid:
            raise AssertionError(f"login failed for {login}")
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, args=None, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, args or [], kwargs)


@pytest.fixture(scope="session")
def odoo_url():
    url = os.environ.get("ODOO_URL")
    if not url:
        pytest.skip("ODOO_URL is not set: run the top-level tests through ./run-tests")
    return url


@pytest.fixture(scope="session")
def odoo_db():
    return os.environ["ODOO_DB"]


@pytest.fixture(scope="session")
def login(odoo_url, odoo_db):
    """``login("ivan")`` returns an :class:`Rpc` for that demo user."""
    cache = {}

    def _login(name, password=None):
        key = (name, password)
        if key not in cache:
            cache[key] = Rpc(odoo_url, odoo_db, name, password or DEMO_LOGINS.get(name, name))
        return cache[key]

    return _login


@pytest.fixture(scope="session")
def admin(login):
    return login("admin")


@pytest.fixture(scope="session")
def leak_scenario(login, admin):
    """The hidden and the visible clients of each role (see leak_scenario.py)."""
    import leak_scenario  # noqa: PLC0415  (only the leak tests need it)

    return leak_scenario.build(login, admin)
