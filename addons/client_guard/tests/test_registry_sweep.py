"""Registry sweep: every model and field the registry holds, as each role.

Generated, not written per model: the models and fields come from the
registry of the database the test runs in, so a module installed next to
the suite (sale, account, calendar, portal, a future one) is swept without
a line of test code. Run it with more modules installed:

    ./run-tests --modules client_guard,sale_management,account,calendar,portal \\
        --test-tags /client_guard:TestRegistrySweep --without-demo --no-top

For each role (own, department, all, administrator without trust,
accountant) and the client(s) it must not get the details of, the sweep

- reads every record (the newest ``READ_LIMIT``) of every model the role can
  read, every field the role may read, plain and with the display-name keys
  (``show_email``, ``show_address``, ``show_vat``, ``address_inline``), and
  the labels of links to partners through ``web_read`` with those keys, and
  the labels ``name_search`` returns;
- calls ``onchange`` (first call and field change) and ``default_get`` of
  every model that has a many2one or many2many to ``res.partner``, the
  field set to the client;
- calls ``read_group`` grouped by every stored char field of every model;
- exports (``export_data``) the char fields of the records it read;
- searches every model that links ``res.partner`` (and ``res.partner``
  itself) with a domain on the client's details (``partner_id.phone = ...``,
  ``partner_id.email = ...``, an opportunity's own copies, the partner's
  phone, e-mail, tax id, street, bank account): a search by a detail must not
  answer for a client the role may not read or reads without its details;

and asserts that none of the client's e-mail, phone (as typed, digits only,
E.164, mobile), street, zip, tax id or bank account comes back, nor, where
the role supplied the id itself (onchange, defaults), the name of a client
it may not read.

Skipped, and why:
- abstract models (no records) for reads and groups; transient models
  (wizards) for reads and groups: their records belong to the user who
  created them; their onchange and defaults are swept like any model's;
- binary fields are read as sizes (``bin_size``): images are checked by the
  contact-detail tests, not by value here;
- names in reads: by design the name of a client is shown where a record
  the role may read links it (an opportunity or a call assigned to the
  role); only its contact details are held back;
- errors: a path that raises (access refused, a wizard that needs an active
  record) returned nothing: it is counted as a call, not as a leak.
"""

import logging
import os
import time

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.search_details import COPY_FIELDS

_logger = logging.getLogger(__name__)

READ_LIMIT = 60
DISPLAY_CONTEXT = {"show_email": 1, "show_address": 1, "show_vat": 1, "address_inline": 1}
SKIP_FIELD_TYPES = ("binary", "image")


@tagged("post_install", "-at_install", "client_guard_sweep")
class TestRegistrySweep(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True,
                                       mail_notrack=True))
        env = cls.env
        Team = env["crm.team"]
        cls.team_a = Team.create({"name": "Sweep A"})
        cls.team_b = Team.create({"name": "Sweep B"})
        base = "base.group_user"
        cls.own = new_test_user(env, "sw_own", groups=f"{base},client_guard.group_scope_own")
        cls.colleague = new_test_user(env, "sw_colleague", groups=f"{base},client_guard.group_scope_own")
        cls.dept = new_test_user(env, "sw_dept", groups=f"{base},client_guard.group_scope_department")
        cls.all = new_test_user(env, "sw_all", groups=f"{base},client_guard.group_scope_all")
        cls.admin = new_test_user(
            env, "sw_admin", groups="base.group_system,base.group_partner_manager,sales_team.group_sale_manager")
        cls.accountant = new_test_user(
            env, "sw_accountant",
            groups=f"{base},client_guard.group_scope_all,client_guard.group_contact_details_none,"
            "sales_team.group_sale_salesman_all_leads")
        cls.curator = new_test_user(env, "sw_curator", groups=f"{base},client_guard.group_scope_department")
        for xmlid in ("account.group_account_invoice", "sales_team.group_sale_salesman_all_leads"):
            group = env.ref(xmlid, raise_if_not_found=False)
            if group and xmlid.startswith("account."):
                cls.accountant.groups_id = [(4, group.id)]
        cls.team_a.member_ids = [(6, 0, [cls.own.id, cls.colleague.id, cls.dept.id])]
        cls.team_b.member_ids = [(6, 0, [cls.all.id, cls.curator.id])]

        def client(name, curator, team, n, **extra):
            partner = env["res.partner"].create(dict({
                "name": name, "is_company": True, "user_id": curator.id, "team_id": team.id,
                "email": f"secret{n}@sweep-client{n}.example", "phone": f"+7 903 55{n}-12-3{n}",
                "mobile": f"8 916 44{n}-98-7{n}", "street": f"Sweepstreet {n}7", "zip": f"1230{n}9",
                "vat": f"RU77000{n}5551", "city": "Sweepcity",
            }, **extra))
            env["res.partner.bank"].create({"partner_id": partner.id, "acc_number": f"4070281090000000{n}777"})
            return partner

        cls.hidden_colleague = client("Sweep hidden of colleague", cls.colleague, cls.team_a, 1)
        cls.hidden_b = client("Sweep hidden of B", cls.curator, cls.team_b, 2)
        cls.hidden_private = client("Sweep hidden private", cls.curator, cls.team_b, 3, is_private=True)
        cls.visible_a = client("Sweep visible of A", cls.dept, cls.team_a, 4)
        # role -> (clients it must not read, visible clients whose details it must not get)
        cls.roles = {
            "own": (cls.own, cls.hidden_colleague | cls.hidden_b | cls.hidden_private, env["res.partner"]),
            "department": (cls.dept, cls.hidden_b | cls.hidden_private, env["res.partner"]),
            "all": (cls.all, cls.hidden_private, env["res.partner"]),
            "administrator": (cls.admin, cls.hidden_private, env["res.partner"]),
            "accountant": (cls.accountant, cls.hidden_private, cls.visible_a | cls.hidden_b),
        }
        cls._link_everywhere()

    @classmethod
    def _link_everywhere(cls):
        """Records that copy the clients' details, made by users who may:
        opportunities (one assigned to each role), and whatever the installed
        modules offer (meetings, calls, orders, invoices)."""
        env = cls.env
        clients = cls.hidden_colleague | cls.hidden_b | cls.hidden_private | cls.visible_a
        roles = [role for role, _hidden, _none in cls.roles.values()]
        for index, partner in enumerate(clients):
            for role in roles:
                env["crm.lead"].create({"name": f"Sweep deal {index}", "type": "opportunity",
                                        "partner_id": partner.id, "user_id": role.id})
            env["crm.lead"].create({"name": f"Sweep pool {index}", "type": "opportunity", "partner_id": partner.id})
            if "calendar.event" in env:
                env["calendar.event"].create({
                    "name": f"Sweep meeting {index}", "user_id": cls.curator.id, "privacy": "public",
                    "start": "2026-12-01 10:00:00", "stop": "2026-12-01 11:00:00",
                    "partner_ids": [(6, 0, [partner.id, *[role.partner_id.id for role in roles]])],
                })
            if "pbx.call" in env:
                for role in roles:
                    env["pbx.call"].sudo().create({
                        "uniqueid": f"sweep-{index}-{role.id}", "src": partner.phone_e164 or partner.phone,
                        "external_number": partner.phone_e164 or partner.phone,
                        "phone_normalized": partner.phone_e164 or partner.phone,
                        "partner_id": partner.id, "user_id": role.id, "direction": "inbound",
                    })
            if "sale.order" in env:
                for role in roles:
                    env["sale.order"].create({"partner_id": partner.id, "user_id": role.id})
            if "account.move" in env:
                try:
                    with env.cr.savepoint():
                        env["account.move"].create({"move_type": "out_invoice", "partner_id": partner.id})
                except Exception as error:  # no chart of accounts: no invoices
                    _logger.info("sweep: no invoice created (%s)", error)

    # ------------------------------------------------------------------
    @classmethod
    def _secrets(cls, partners, with_names):
        values = set()
        for partner in partners.sudo():
            digits = "".join(ch for ch in partner.phone if ch.isdigit())
            values |= {partner.email, partner.phone, partner.mobile, digits, "+" + digits,
                       "".join(ch for ch in partner.mobile if ch.isdigit())[1:],
                       partner.street, partner.zip, partner.vat, *partner.bank_ids.mapped("acc_number")}
            if with_names:
                values.add(partner.name)
        return {value for value in values if value}

    def _check(self, findings, role, path, model, result, secrets):
        if not result:
            return
        text = repr(result)
        for secret in secrets:
            if secret in text:
                findings.append(f"{role}: {path} {model}: {secret!r}")

    def _call(self, func, *args, **kwargs):
        try:
            with self.env.cr.savepoint():
                return func(*args, **kwargs)
        except Exception:  # a refusal or an unusable call returned nothing
            return None

    # ------------------------------------------------------------------
    def _sweep_role(self, role_name):
        user, hidden, no_details = self.roles[role_name]
        details = self._secrets(hidden | no_details, with_names=False)
        with_names = details | self._secrets(hidden, with_names=True)
        env = self.env(user=user, context=dict(self.env.context, active_test=False, bin_size=True))
        findings, stats = [], dict.fromkeys(
            ("models", "reads", "onchanges", "defaults", "groups", "exports", "searches"), 0)
        for model_name in sorted(env.registry):
            Model = env[model_name]
            if Model._abstract:
                continue
            partner_fields = [name for name, field in Model._fields.items()
                              if field.type in ("many2one", "many2many") and field.comodel_name == "res.partner"]
            readable = Model.has_access("read") if hasattr(Model, "has_access") else False
            if readable and not Model._transient:
                stats["models"] += 1
                self._sweep_reads(Model, role_name, details, findings, stats)
                self._sweep_groups(Model, role_name, details, findings, stats)
                self._sweep_searches(Model, partner_fields, hidden | no_details, role_name, findings, stats)
            if partner_fields:
                # one client the role may not read, one it reads without details (the same paths)
                self._sweep_forms(Model, partner_fields, hidden[:1] | no_details[:1], role_name, with_names,
                                  findings, stats)
        return findings, stats

    def _readable_fields(self, Model):
        fields = Model.fields_get(attributes=["type"])
        return [name for name, desc in fields.items()
                if desc["type"] not in SKIP_FIELD_TYPES and name in Model._fields]

    def _sweep_reads(self, Model, role, secrets, findings, stats):
        records = self._call(Model.search, [], limit=READ_LIMIT, order="id desc")
        if not records:
            return
        fnames = self._readable_fields(Model)
        result = self._call(records.read, fnames)
        if result is None:  # a field the role may not compute: field by field
            result = [self._call(records.read, [fname]) for fname in fnames]
        stats["reads"] += 1
        self._check(findings, role, "read", Model._name, result, secrets)
        links = [name for name in fnames if Model._fields[name].type in ("many2one", "many2many")]
        if links:
            labeled = self._call(records.with_context(**DISPLAY_CONTEXT).read, [*links, "display_name"])
            self._check(findings, role, "read+display keys", Model._name, labeled, secrets)
            spec = {name: {"fields": {"display_name": {}}, "context": DISPLAY_CONTEXT} for name in links
                    if Model._fields[name].type == "many2one"}
            if spec:
                self._check(findings, role, "web_read+display keys", Model._name,
                            self._call(records.web_read, spec), secrets)
        self._check(findings, role, "name_search", Model._name,
                    self._call(Model.name_search, "", limit=READ_LIMIT), secrets)
        chars = [name for name in fnames if Model._fields[name].type in ("char", "text")]
        if chars:
            stats["exports"] += 1
            self._check(findings, role, "export_data", Model._name,
                        self._call(records.export_data, chars), secrets)

    def _sweep_groups(self, Model, role, secrets, findings, stats):
        for name, field in Model._fields.items():
            if field.type != "char" or not field.store or not field.column_type:
                continue
            stats["groups"] += 1
            groups = self._call(Model.read_group, [], [name], [name], limit=200)
            self._check(findings, role, f"read_group({name})", Model._name, groups, secrets)

    def _sweep_searches(self, Model, partner_fields, clients, role, findings, stats):
        """A search by a client's detail is a question about it: no record of
        a client the role may not read, or reads without details, answers."""
        for client in clients.sudo():
            details = {"phone": client.phone, "email": client.email, "vat": client.vat, "street": client.street,
                       "mobile": client.mobile}
            domains = []
            if Model._name == "res.partner":
                mine = [("id", "=", client.id)]
                domains += [[(fname, "=", value)] for fname, value in details.items()]
                domains += [[("phone", "ilike", client.phone[-6:])], [("email", "ilike", client.email[:8])],
                            [("bank_ids.acc_number", "=", client.bank_ids[:1].acc_number)]]
            else:
                stored = [name for name in partner_fields if Model._fields[name].store
                          and Model._fields[name].type == "many2one"]
                if not stored:
                    continue
                mine = [(stored[0], "=", client.id)]
                domains += [[(f"{stored[0]}.{fname}", "=", details[fname])] for fname in ("phone", "email", "vat")]
                domains += [[(fname, "ilike", client.email if "email" in fname else client.phone[-6:])]
                            for fname in COPY_FIELDS.get(Model._name, ()) if "email" in fname or "phone" in fname]
            for domain in domains:
                stats["searches"] += 1
                count = self._call(Model.search_count, [*domain, *mine])
                if count:
                    findings.append(f"{role}: search {Model._name} {domain}: {count} record(s) of {client.name}")

    def _sweep_forms(self, Model, partner_fields, clients, role, secrets, findings, stats):
        fields = Model.fields_get(attributes=["type"])
        spec = {}
        for name, desc in fields.items():
            if desc["type"] in SKIP_FIELD_TYPES or name not in Model._fields:
                continue
            spec[name] = {"fields": {"display_name": {}}} if desc["type"] == "many2one" else {}
        for fname in partner_fields:
            if fname not in spec:
                continue
            for client in clients:
                value = client.id if Model._fields[fname].type == "many2one" else [(6, 0, [client.id])]
                stats["onchanges"] += 1
                self._check(findings, role, f"onchange({fname})", Model._name,
                            self._call(Model.onchange, {fname: value}, [fname], spec), secrets)
                self._check(findings, role, f"onchange first call ({fname})", Model._name,
                            self._call(Model.onchange, {fname: value}, [], spec), secrets)
                stats["defaults"] += 1
                with_default = Model.with_context(**{f"default_{fname}": value})
                self._check(findings, role, f"default_get({fname})", Model._name,
                            self._call(with_default.default_get, list(spec)), secrets)

    # ------------------------------------------------------------------
    @classmethod
    def tearDownClass(cls):
        """With CLIENT_GUARD_SWEEP_REPORT set (./run-tests sets it), append the
        summary as a Markdown table: the README's sweep table is pasted from it."""
        path = os.environ.get("CLIENT_GUARD_SWEEP_REPORT")
        if path and getattr(cls, "summary", None):
            extra = [name for name in ("sale", "sale_management", "account", "calendar", "portal",
                                         "hr_holidays", "pbx_call_capture")
                     if cls.env["ir.module.module"].search_count([("name", "=", name), ("state", "=", "installed")])]
            lines = [f"Installed besides client_guard: {', '.join(extra) or 'nothing'}; "
                     f"{len(cls.env.registry)} models in the registry.", "",
                     "| role | models read | reads | onchange | default_get | read_group | exports | searches "
                     "| leaks | time |",
                     "|---|---|---|---|---|---|---|---|---|---|"]
            lines += [f"| {row[0]} | {' | '.join(str(v) for v in row[1:])} |" for row in cls.summary]
            try:
                with open(path, "a", encoding="utf-8") as report:
                    report.write("\n".join(lines) + "\n\n")
            except OSError as error:
                _logger.warning("registry sweep: no summary written to %s (%s)", path, error)
        super().tearDownClass()

    @mute_logger("odoo.sql_db", "odoo.addons.base.models.ir_rule", "odoo.models",
                 "odoo.addons.client_guard.models.client_guard_security_event")
    def _run(self, role_name):
        started = time.time()
        findings, stats = self._sweep_role(role_name)
        elapsed = time.time() - started
        _logger.info("registry sweep as %s: %s in %.1f s, %s leak(s)", role_name, stats, elapsed, len(findings))
        type(self).summary = [*getattr(type(self), "summary", []), (
            role_name, stats["models"], stats["reads"], stats["onchanges"], stats["defaults"], stats["groups"],
            stats["exports"], stats["searches"], len(findings), f"{elapsed:.0f} s")]
        self.assertEqual(findings, [], f"contact details of a client came back to the {role_name} role")

    def test_sweep_own(self):
        self._run("own")

    def test_sweep_department(self):
        self._run("department")

    def test_sweep_all(self):
        self._run("all")

    def test_sweep_administrator(self):
        self._run("administrator")

    def test_sweep_accountant(self):
        self._run("accountant")
