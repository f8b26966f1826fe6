"""Windows domain sign-in against real servers on loopback: OpenLDAP (slapd),
an MIT Kerberos KDC and Apache with mod_auth_gssapi in front of the live Odoo
server. A user with a Kerberos ticket reaches Odoo through the proxy without a
password (curl --negotiate, and Chromium with the proxy allowed, landing in
the web client); a forged header from an address that is not the proxy is
refused; directory passwords, group moves and disabled accounts take effect
at the next sign-in, the next request and the sync."""

import http.client
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import xmlrpc.client

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "addons", "client_guard_domain_login", "tests"))
import domain_servers as ds

PARAM = "client_guard_domain_login.{}"


@pytest.fixture(scope="module")
def directory(odoo_url, admin):
    if ds.MISSING:
        pytest.fail(f"directory servers missing: {', '.join(ds.MISSING)} (.ci/run installs them)")
    odoo_port = urllib.parse.urlparse(odoo_url).port
    servers = []  # stopped at the end whatever fails on the way
    try:
        slapd = ds.Slapd()
        servers.append(slapd)
        slapd.start()
        kdc = ds.Kerberos()
        servers.append(kdc)
        kdc.start()
        proxy = ds.ApacheProxy(kdc, odoo_port)
        servers.append(proxy)
        proxy.start()
        ldap_id = _configure_directory(admin, slapd)
        try:
            yield {"slapd": slapd, "kdc": kdc, "proxy": proxy, "ldap_id": ldap_id}
        finally:
            admin("ir.config_parameter", "set_param", [PARAM.format("proxy_addresses"), ""])
            admin("res.company.ldap", "unlink", [[ldap_id]])
    finally:
        for server in reversed(servers):
            server.stop()


def _configure_directory(admin, slapd):
    """The directory in Odoo: template user, server with its role lines, the
    proxy's address and the realm. Returns the res.company.ldap id."""
    moscow = admin("crm.team", "search", [[("name", "=", "Sales Moscow")]])
    template = admin("res.users", "create", [{
        "name": "Domain template", "login": "domain_template",
        "groups_id": [(6, 0, [admin("ir.model.data", "check_object_reference", ["base", "group_user"])[1],
                               admin("ir.model.data", "check_object_reference",
                                     ["client_guard", "group_scope_own"])[1]])],
    }])
    admin("res.users", "write", [[template], {"active": False}])
    company = admin("res.users", "read", [[admin.uid], ["company_id"]])[0]["company_id"][0]
    ldap_id = admin("res.company.ldap", "create", [{
        "company": company, "ldap_server": "127.0.0.1", "ldap_server_port": slapd.port,
        "ldap_base": ds.BASE_DN, "ldap_filter": ds.LDAP_FILTER, "user": template, "create_user": True,
        "client_guard_role_ids": [
            (0, 0, {"name": "Sales", "match": "group", "ldap_dn": ds.group_dn("crm-own"), "level": "own",
                    "team_ids": [(6, 0, moscow)]}),
            (0, 0, {"name": "Heads", "match": "group", "ldap_dn": ds.group_dn("crm-heads"), "level": "department",
                    "team_ids": [(6, 0, moscow)]}),
        ],
    }])
    admin("ir.config_parameter", "set_param", [PARAM.format("proxy_addresses"), "127.0.0.1"])
    admin("ir.config_parameter", "set_param", [PARAM.format("realms"), ds.REALM])
    return ldap_id


def curl(directory, path, env=None, negotiate=False, jar=None, headers=()):
    """GET through the proxy; returns (status, body, redirect)."""
    cmd = ["curl", "-s", "-o", "-", "-w", "\n%{http_code} %{redirect_url}", "--max-time", "60"]
    if negotiate:
        cmd += ["--negotiate", "-u", ":"]
    if jar:
        cmd += ["-b", jar, "-c", jar]
    for header in headers:
        cmd += ["-H", header]
    result = subprocess.run([*cmd, directory["proxy"].url + path], env=env or directory["kdc"].env,
                            capture_output=True, text=True, check=False, timeout=90)
    body, _sep, tail = result.stdout.rpartition("\n")
    status, _sep, redirect = tail.partition(" ")
    return int(status or 0), body, redirect


def session_info(directory, jar):
    cmd = ["curl", "-s", "-b", jar, "-H", "Content-Type: application/json", "-d", "{}",
           directory["proxy"].url + "/web/session/get_session_info"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60).stdout
    return json.loads(out)


def sso(directory, login, password):
    env = directory["kdc"].kinit(login, password)
    # the cookie jar goes with the KDC's folder at the end
    jar = tempfile.NamedTemporaryFile(prefix="cg-jar-", dir=directory["kdc"].dir, delete=False).name
    status, body, redirect = curl(directory, "/client_guard/sso", env=env, negotiate=True, jar=jar)
    return status, body, redirect, jar


def user_of(admin, login):
    ids = admin("res.users", "search", [[("login", "=", login)]], context={"active_test": False})
    return ids[0] if ids else None


def has_group(admin, uid, xmlid):
    return bool(admin("res.users", "search_count", [[("id", "=", uid), ("groups_id", "=", admin(
        "ir.model.data", "check_object_reference", xmlid.split("."))[1])]], context={"active_test": False}))


def sync(admin):
    """The administrator's "Sync with the directory now" (the nightly job's code)."""
    action = admin("ir.model.data", "check_object_reference", ["client_guard_domain_login", "action_domain_sync"])[1]
    admin("ir.actions.server", "run", [[action]])


def events(login, event_type, text):
    officer = login("officer")
    return officer("client_guard.security.event", "search_read",
                   [[("event_type", "=", event_type), ("details", "ilike", text)]], fields=["details", "ip_address"])


def test_kerberos_ticket_signs_in_through_the_proxy_without_password(directory, admin):
    status, body, redirect, jar = sso(directory, "dom.ivan", "ivan-pass-1")
    assert status == 303, (status, body[:300], directory["proxy"].log())
    assert redirect.endswith("/odoo")
    info = session_info(directory, jar)["result"]
    uid = user_of(admin, "dom.ivan")
    assert info["uid"] == uid and info["username"] == "dom.ivan"
    assert has_group(admin, uid, "client_guard.group_scope_own")
    assert not has_group(admin, uid, "client_guard.group_scope_department")
    # no ticket: the proxy asks for one, Odoo never sees the request
    status, _body, _redirect = curl(directory, "/client_guard/sso")
    assert status == 401


def test_header_forged_from_elsewhere_is_refused(directory, odoo_url, login, admin):
    port = urllib.parse.urlparse(odoo_url).port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=("127.0.0.2", 0))
    conn.request("GET", "/client_guard/sso", headers={"X-Remote-User": f"dom.head@{ds.REALM}"})
    response = conn.getresponse()
    assert response.status == 403
    conn.close()
    assert user_of(admin, "dom.head") is None, "no user created from a forged header"
    assert "127.0.0.2" in " ".join(e["details"] for e in events(login, "domain_refused", "not a trusted proxy"))
    # through the proxy, a header the browser sends is dropped before Odoo: no ticket, no sign-in
    status, _body, _redirect = curl(directory, "/client_guard/sso", headers=[f"X-Remote-User: dom.head@{ds.REALM}"])
    assert status == 401
    assert user_of(admin, "dom.head") is None


def test_directory_password_and_wrong_password(directory, odoo_url, odoo_db, login):
    common = xmlrpc.client.ServerProxy(f"{odoo_url}/xmlrpc/2/common")
    assert common.authenticate(odoo_db, "dom.olga", "wrong", {}) is False
    assert events(login, "domain_refused", "dom.olga")
    assert common.authenticate(odoo_db, "dom.olga", "olga-pass-1", {})


def test_group_move_changes_level_at_next_sign_in_and_after_sync(directory, admin):
    sso(directory, "dom.ivan", "ivan-pass-1")
    uid = user_of(admin, "dom.ivan")
    directory["slapd"].set_group_members("crm-heads", ["dom.head", "dom.ivan"])
    status, *_rest = sso(directory, "dom.ivan", "ivan-pass-1")
    assert status == 303
    assert has_group(admin, uid, "client_guard.group_scope_department")
    directory["slapd"].set_group_members("crm-heads", ["dom.head"])
    sync(admin)
    assert not has_group(admin, uid, "client_guard.group_scope_department")
    assert has_group(admin, uid, "client_guard.group_scope_own")


def test_disabled_account_loses_its_session_and_sign_in(directory, odoo_url, odoo_db, admin):
    status, _body, _redirect, jar = sso(directory, "dom.olga", "olga-pass-1")
    assert status == 303
    uid = user_of(admin, "dom.olga")
    assert session_info(directory, jar)["result"]["uid"] == uid
    directory["slapd"].disable("dom.olga")
    try:
        assert "SessionExpired" in json.dumps(session_info(directory, jar).get("error"))
        status, *_rest = sso(directory, "dom.olga", "olga-pass-1")
        assert status == 403
        common = xmlrpc.client.ServerProxy(f"{odoo_url}/xmlrpc/2/common")
        assert common.authenticate(odoo_db, "dom.olga", "olga-pass-1", {}) is False
        sync(admin)
        state = admin("res.users", "read", [[uid], ["active"]], context={"active_test": False})
        assert not state[0]["active"]
    finally:
        directory["slapd"].enable("dom.olga")


# the web client is open (Odoo 18 removes odoo.__session_info__ once it has
# read it: the session is asked from the server, with the browser's cookie)
WEB_CLIENT_JS = """location.pathname.startsWith('/odoo') && document.querySelector('.o_main_navbar')
    ? {path: location.pathname, password_field: !!document.querySelector('input[type=password]')} : null"""
SESSION_JS = """fetch('/web/session/get_session_info', {method: 'POST', body: '{}',
    headers: {'Content-Type': 'application/json'}}).then(r => r.json())
    .then(r => r.result && r.result.uid ? {uid: r.result.uid, login: r.result.username} : false)"""


def test_chromium_with_a_ticket_lands_in_the_web_client_without_password(directory, admin, login):
    """A domain computer's browser: Chromium allowed to answer the proxy's
    Negotiate challenge (the AuthServerAllowlist policy). Without a ticket it
    gets the proxy's 401 and no session; after kinit the same browser opens
    the single sign-on URL and lands in the web client as that user, first
    sign-in included (rights from the directory groups), with no password
    asked."""
    if not ds.CHROMIUM:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)")
    kdc, sso_url = directory["kdc"], directory["proxy"].url + "/client_guard/sso"
    browser = ds.Chromium(kdc, os.path.join(kdc.dir, "cc_browser"))
    try:
        browser.start()
        browser.open(sso_url)
        title = browser.wait_for("document.readyState === 'complete' && document.title", timeout=60)
        assert title == "401 Unauthorized", (title, directory["proxy"].log())
        assert browser.evaluate(SESSION_JS) is False
        assert user_of(admin, "dom.head") is None

        kdc.kinit("dom.head", "head-pass-1", cache=browser.ccache)
        browser.open(sso_url)
        page = browser.wait_for(WEB_CLIENT_JS, timeout=180)
        assert page, (browser.evaluate("location.href + ' ' + document.title"), directory["proxy"].log(),
                      browser.log())
        assert not page["password_field"]
        uid = user_of(admin, "dom.head")
        assert browser.evaluate(SESSION_JS) == {"uid": uid, "login": "dom.head"}
        assert has_group(admin, uid, "client_guard.group_scope_department")
        # the first sign-in and its rights are in the security log (with the user it created)
        assert events(login, "domain_login", "dom.head")
        assert events(login, "domain_rights", "dom.head")
    finally:
        browser.stop()
