"""Real directory servers for the tests, started on loopback in a temporary
folder: OpenLDAP (``slapd``), an MIT Kerberos KDC (``krb5kdc``) and Apache with
``mod_auth_gssapi`` as the single sign-on proxy in front of Odoo.

Used by the module's own tests (LDAP only) and by the top-level live tests
(the whole chain). Debian packages: slapd, ldap-utils, krb5-kdc,
krb5-admin-server, krb5-user, apache2, libapache2-mod-auth-gssapi
(``.ci/run`` installs them when they are missing); Chromium plays the browser
of a domain computer.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

# free_port and wait_port come from the suite's test runner (tools/run_tests.py)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "..", "tools"))
from run_tests import free_port, wait_port

BASE_DN = "dc=example,dc=test"
ADMIN_DN = f"cn=admin,{BASE_DN}"
ADMIN_PASSWORD = "directory-admin"
REALM = "EXAMPLE.TEST"
MISSING = [
    path for path in ("/usr/sbin/slapd", "/usr/bin/ldapadd", "/usr/sbin/krb5kdc", "/usr/sbin/kdb5_util",
                      "/usr/sbin/kadmin.local", "/usr/bin/kinit", "/usr/sbin/apache2",
                      "/usr/lib/apache2/modules/mod_auth_gssapi.so")
    if not os.path.exists(path)
]

USERS = {
    # login: (common name, organizational unit, password)
    "dom.ivan": ("Ivan Domainov", "moscow", "ivan-pass-1"),
    "dom.olga": ("Olga Domainova", "spb", "olga-pass-1"),
    "dom.head": ("Elena Domainova", "moscow", "head-pass-1"),
}
GROUPS = {
    "crm-own": ["dom.ivan", "dom.olga"],
    "crm-heads": ["dom.head"],
    "crm-all": [],
}


def _stop(proc):
    if proc and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def user_dn(login):
    return f"uid={login},ou={USERS[login][1]},ou=people,{BASE_DN}"


def group_dn(name):
    return f"cn={name},ou=groups,{BASE_DN}"


class Slapd:
    """An OpenLDAP server with ou=people (ou=moscow, ou=spb) and ou=groups."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="cg-slapd-")
        self.port = free_port()
        self.proc = None

    @property
    def uri(self):
        return f"ldap://127.0.0.1:{self.port}"

    def start(self):
        db = os.path.join(self.dir, "db")
        os.makedirs(db)
        conf = os.path.join(self.dir, "slapd.conf")
        with open(conf, "w", encoding="utf-8") as handle:
            handle.write(
                "include /etc/ldap/schema/core.schema\n"
                "include /etc/ldap/schema/cosine.schema\n"
                "include /etc/ldap/schema/inetorgperson.schema\n"
                "include /etc/ldap/schema/nis.schema\n"
                "modulepath /usr/lib/ldap\n"
                "moduleload back_mdb\n"
                f"pidfile {self.dir}/slapd.pid\n"
                "database mdb\n"
                "maxsize 10485760\n"
                f'suffix "{BASE_DN}"\n'
                f'rootdn "{ADMIN_DN}"\n'
                f"rootpw {ADMIN_PASSWORD}\n"
                f"directory {db}\n"
                "access to attrs=userPassword by self write by anonymous auth by * none\n"
                "access to * by * read\n"
            )
        self.proc = subprocess.Popen(
            ["/usr/sbin/slapd", "-f", conf, "-h", self.uri + "/", "-d", "0"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.dir, "slapd.log"), "w"),
        )
        if not wait_port(self.port, self.proc, timeout=20, pause=0.1):
            raise RuntimeError(f"slapd did not start: {self.log()}")
        self.ldif(self._initial_ldif())
        return self

    def log(self):
        with open(os.path.join(self.dir, "slapd.log"), encoding="utf-8", errors="replace") as handle:
            return handle.read()[-2000:]

    def _initial_ldif(self):
        parts = [
            f"dn: {BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n",
            f"dn: ou=people,{BASE_DN}\nobjectClass: organizationalUnit\nou: people\n",
            f"dn: ou=moscow,ou=people,{BASE_DN}\nobjectClass: organizationalUnit\nou: moscow\n",
            f"dn: ou=spb,ou=people,{BASE_DN}\nobjectClass: organizationalUnit\nou: spb\n",
            f"dn: ou=groups,{BASE_DN}\nobjectClass: organizationalUnit\nou: groups\n",
        ]
        for login, (name, _ou, password) in USERS.items():
            parts.append(self.user_ldif(login, name, password))
        for name, members in GROUPS.items():
            parts.append(self.group_ldif(name, members))
        return "\n".join(parts)

    @staticmethod
    def user_ldif(login, name, password, ou=None):
        dn = f"uid={login},ou={ou},ou=people,{BASE_DN}" if ou else user_dn(login)
        return (
            f"dn: {dn}\nobjectClass: inetOrgPerson\nuid: {login}\ncn: {name}\nsn: {name.split()[-1]}\n"
            f"mail: {login}@example.test\nuserPassword: {password}\n"
        )

    @staticmethod
    def group_ldif(name, members):
        # groupOfNames needs one member: the admin stands in for an empty group
        lines = [f"dn: {group_dn(name)}", "objectClass: groupOfNames", f"cn: {name}"]
        lines += [f"member: {user_dn(m)}" for m in members] or [f"member: {ADMIN_DN}"]
        return "\n".join(lines) + "\n"

    def ldif(self, text, modify=False):
        cmd = ["/usr/bin/ldapmodify" if modify else "/usr/bin/ldapadd", "-x", "-H", self.uri,
               "-D", ADMIN_DN, "-w", ADMIN_PASSWORD]
        result = subprocess.run(cmd, input=text, capture_output=True, text=True, check=False)
        if result.returncode:
            raise RuntimeError(f"{cmd[0]} failed: {result.stderr}")

    def set_group_members(self, name, members):
        values = "\n".join(f"member: {user_dn(m)}" for m in members) or f"member: {ADMIN_DN}"
        self.ldif(f"dn: {group_dn(name)}\nchangetype: modify\nreplace: member\n{values}\n", modify=True)

    def disable(self, login):
        """Disable an account the way the filter of the tests reads it (AD
        uses userAccountControl, see the README)."""
        self.ldif(f"dn: {user_dn(login)}\nchangetype: modify\nreplace: employeeType\nemployeeType: disabled\n",
                  modify=True)

    def enable(self, login):
        self.ldif(f"dn: {user_dn(login)}\nchangetype: modify\nreplace: employeeType\nemployeeType: staff\n",
                  modify=True)

    def stop(self):
        _stop(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


# the filter of the tests: the login, and not disabled
LDAP_FILTER = "(&(objectClass=inetOrgPerson)(uid=%s)(!(employeeType=disabled)))"


class Kerberos:
    """An MIT Kerberos KDC for realm EXAMPLE.TEST with user principals and
    the HTTP service key of the proxy."""

    def __init__(self, service_host="localhost"):
        self.dir = tempfile.mkdtemp(prefix="cg-krb5-")
        os.chmod(self.dir, 0o755)  # Apache's worker user reads the keytab
        self.port = free_port()
        self.service_host = service_host
        self.proc = None
        self.krb5_conf = os.path.join(self.dir, "krb5.conf")
        self.kdc_conf = os.path.join(self.dir, "kdc.conf")
        self.keytab = os.path.join(self.dir, "http.keytab")

    @property
    def env(self):
        return dict(os.environ, KRB5_CONFIG=self.krb5_conf, KRB5_KDC_PROFILE=self.kdc_conf)

    def start(self):
        with open(self.krb5_conf, "w", encoding="utf-8") as handle:
            handle.write(
                "[libdefaults]\n"
                f" default_realm = {REALM}\n"
                " dns_lookup_realm = false\n dns_lookup_kdc = false\n rdns = false\n"
                " dns_canonicalize_hostname = false\n udp_preference_limit = 1\n"
                "[realms]\n"
                f" {REALM} = {{\n  kdc = 127.0.0.1:{self.port}\n }}\n"
                "[domain_realm]\n"
                f" {self.service_host} = {REALM}\n"
            )
        with open(self.kdc_conf, "w", encoding="utf-8") as handle:
            handle.write(
                "[kdcdefaults]\n"
                f" kdc_ports = {self.port}\n kdc_tcp_ports = {self.port}\n"
                "[realms]\n"
                f" {REALM} = {{\n"
                f"  database_name = {self.dir}/principal\n"
                f"  key_stash_file = {self.dir}/stash\n"
                f"  acl_file = {self.dir}/kadm5.acl\n"
                f"  kdc_ports = {self.port}\n  kdc_tcp_ports = {self.port}\n"
                " }\n"
                "[logging]\n"
                f" kdc = FILE:{self.dir}/kdc.log\n"
            )
        with open(os.path.join(self.dir, "kadm5.acl"), "w", encoding="utf-8") as handle:
            handle.write("")
        self._run(["/usr/sbin/kdb5_util", "create", "-s", "-r", REALM, "-P", "kdc-master-key"])
        for login, (_name, _ou, password) in USERS.items():
            self.add_user(login, password)
        self.admin(f"addprinc -randkey HTTP/{self.service_host}")
        self.admin(f"ktadd -k {self.keytab} HTTP/{self.service_host}")
        os.chmod(self.keytab, 0o644)
        self.proc = subprocess.Popen(["/usr/sbin/krb5kdc", "-n"], env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_port(self.port, self.proc, timeout=20, pause=0.1):
            raise RuntimeError("krb5kdc did not start")
        return self

    def _run(self, cmd, stdin=None):
        result = subprocess.run(cmd, env=self.env, input=stdin, capture_output=True, text=True, check=False)
        if result.returncode:
            raise RuntimeError(f"{' '.join(cmd)} failed: {result.stderr or result.stdout}")
        return result.stdout

    def admin(self, query):
        return self._run(["/usr/sbin/kadmin.local", "-r", REALM, "-q", query])

    def add_user(self, login, password):
        self.admin(f"addprinc -pw {password} {login}")

    def kinit(self, login, password, cache=None):
        """Obtain a ticket for ``login`` (into the ticket cache file ``cache``,
        by default one per login); returns the environment a client uses to
        present it."""
        cache = cache or os.path.join(self.dir, f"cc_{login}")
        env = dict(self.env, KRB5CCNAME=f"FILE:{cache}")
        result = subprocess.run(["/usr/bin/kinit", login], env=env, input=password + "\n",
                                capture_output=True, text=True, check=False)
        if result.returncode:
            raise RuntimeError(f"kinit {login} failed: {result.stderr}")
        return env

    def stop(self):
        _stop(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


class ApacheProxy:
    """Apache with mod_auth_gssapi: checks the Kerberos ticket on the single
    sign-on URL, passes the authenticated principal to Odoo in a header and
    strips that header from every incoming request."""

    def __init__(self, kerberos, odoo_port, header="X-Remote-User", sso_path="/client_guard/sso"):
        self.kerberos = kerberos
        self.odoo_port = odoo_port
        self.header = header
        self.sso_path = sso_path
        self.dir = tempfile.mkdtemp(prefix="cg-apache-")
        os.chmod(self.dir, 0o755)
        self.port = free_port()
        self.proc = None

    @property
    def url(self):
        return f"http://{self.kerberos.service_host}:{self.port}"

    def start(self):
        modules = "/usr/lib/apache2/modules"
        conf = os.path.join(self.dir, "httpd.conf")
        with open(conf, "w", encoding="utf-8") as handle:
            handle.write(
                f"ServerRoot {self.dir}\n"
                "ServerName localhost\n"
                f"Listen 127.0.0.1:{self.port}\n"
                f"PidFile {self.dir}/httpd.pid\n"
                f"ErrorLog {self.dir}/error.log\n"
                "LogLevel warn auth_gssapi:info\n"
                f"DefaultRuntimeDir {self.dir}\n"
                "User www-data\nGroup www-data\n"
                f"LoadModule mpm_event_module {modules}/mod_mpm_event.so\n"
                f"LoadModule authz_core_module {modules}/mod_authz_core.so\n"
                f"LoadModule authn_core_module {modules}/mod_authn_core.so\n"
                f"LoadModule authz_user_module {modules}/mod_authz_user.so\n"
                f"LoadModule auth_gssapi_module {modules}/mod_auth_gssapi.so\n"
                f"LoadModule headers_module {modules}/mod_headers.so\n"
                f"LoadModule proxy_module {modules}/mod_proxy.so\n"
                f"LoadModule proxy_http_module {modules}/mod_proxy_http.so\n"
                # a header sent by the browser never reaches Odoo
                f"RequestHeader unset {self.header} early\n"
                f"<Location {self.sso_path}>\n"
                "  AuthType GSSAPI\n"
                '  AuthName "Windows domain"\n'
                f"  GssapiCredStore keytab:{self.kerberos.keytab}\n"
                "  GssapiAllowedMech krb5\n"
                "  GssapiBasicAuth Off\n"
                "  Require valid-user\n"
                f'  RequestHeader set {self.header} "expr=%{{REMOTE_USER}}"\n'
                "  RequestHeader unset Authorization\n"
                "</Location>\n"
                "ProxyPreserveHost On\n"
                f"ProxyPass / http://127.0.0.1:{self.odoo_port}/\n"
                f"ProxyPassReverse / http://127.0.0.1:{self.odoo_port}/\n"
            )
        env = dict(self.kerberos.env, APACHE_RUN_DIR=self.dir, APACHE_LOG_DIR=self.dir)
        self.proc = subprocess.Popen(["/usr/sbin/apache2", "-f", conf, "-DFOREGROUND"], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_port(self.port, self.proc, timeout=20, pause=0.1):
            raise RuntimeError(f"apache2 did not start: {self.log()}")
        return self

    def log(self):
        path = os.path.join(self.dir, "error.log")
        if not os.path.exists(path):
            return ""
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()[-3000:]

    def stop(self):
        _stop(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome",
                                                  "google-chrome-stable"))), None)


class Chromium:
    """Headless Chromium as the browser of a domain computer: Kerberos
    (``Negotiate``) allowed for the proxy's host name, the user's tickets in
    the ticket cache file ``ccache`` (empty until someone runs kinit into
    it). Driven through the DevTools protocol with websocket-client."""

    def __init__(self, kerberos, ccache):
        self.kerberos = kerberos
        self.ccache = ccache
        self.dir = tempfile.mkdtemp(prefix="cg-chromium-")
        self.profile = os.path.join(self.dir, "profile")
        self.proc = None
        self.socket = None
        self._id = 0

    def start(self, timeout=60):
        import websocket  # noqa: PLC0415  (only the browser test needs it)

        os.makedirs(self.profile)
        # Chromium on Linux loads the GSSAPI library only in a browser that
        # has already met a Negotiate challenge: the first one sets this
        # preference, and from the next start on the network service runs
        # outside its sandbox and answers Negotiate. The first challenge of a
        # fresh profile gets ERR_UNSUPPORTED_AUTH_SCHEME (see the readme).
        with open(os.path.join(self.profile, "Local State"), "w", encoding="utf-8") as handle:
            json.dump({"net": {"received_http_auth_negotiate_headers": True}}, handle)
        env = dict(self.kerberos.env, KRB5CCNAME=f"FILE:{self.ccache}")
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-extensions", "--remote-debugging-port=0", f"--user-data-dir={self.profile}",
             # the policy AuthServerAllowlist of a managed browser
             f"--auth-server-allowlist={self.kerberos.service_host}", "about:blank"],
            env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.dir, "chromium.log"), "w"),
        )
        port = self._devtools_port(timeout)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as response:
            pages = [page for page in json.load(response) if page["type"] == "page"]
        self.socket = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=timeout,
                                                  suppress_origin=True)
        return self

    def _devtools_port(self, timeout):
        """The port Chromium picked for the DevTools protocol (it writes it
        in the profile when it is ready)."""
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + timeout
        while time.time() < deadline and self.proc.poll() is None:
            if os.path.exists(port_file):
                with open(port_file, encoding="utf-8") as handle:
                    lines = handle.read().split()
                if lines:
                    return lines[0]
            time.sleep(0.1)
        raise RuntimeError(f"chromium did not start: {self.log()}")

    def call(self, method, **params):
        self._id += 1
        self.socket.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression):
        """The value of a JavaScript expression in the page (awaited)."""
        try:
            result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        except RuntimeError:  # the page is navigating: no context to run in
            return None
        if "exceptionDetails" in result:
            return None
        return result["result"].get("value")

    def open(self, url):
        self.call("Page.navigate", url=url)

    def wait_for(self, expression, timeout=120):
        """Poll ``expression`` until it is truthy; returns its last value."""
        deadline = time.time() + timeout
        value = None
        while time.time() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.5)
        return value

    def log(self):
        path = os.path.join(self.dir, "chromium.log")
        if not os.path.exists(path):
            return ""
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()[-3000:]

    def stop(self):
        if self.socket:
            self.socket.close()
        _stop(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)
