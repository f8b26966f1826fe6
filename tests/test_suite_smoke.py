"""The suite is installed with its demo data and each demo role can log in."""

import pytest
from conftest import DEMO_LOGINS


@pytest.mark.parametrize("name", sorted(DEMO_LOGINS))
def test_demo_user_logs_in(login, name):
    assert login(name).uid


def test_suite_modules_installed(admin):
    names = {m["name"] for m in admin("ir.module.module", "search_read", [[("state", "=", "installed")]],
                                      fields=["name"])}
    assert "client_guard" in names
