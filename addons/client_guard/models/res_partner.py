import functools

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools import SQL, sql

from .base_details import _web_read_scope, read_checked_in_call, readable_memo

# Fields a protected user may not change on an existing client without
# client_guard.group_manage_curators.
PROTECTED_FIELDS = (
    "user_id",
    "team_id",
    "category_id",
    "is_private",
    "trusted_user_ids",
    "registration_date",
)
PRIVACY_FIELDS = ("is_private", "trusted_user_ids")
# From this many partners on, their read access is checked in SQL (``_check_access``)
SQL_CHECK_MIN = 8
# Fields that Odoo itself maintains while a user works (chatter, activities,
# followers): never subject to the append-only rule.
TECHNICAL_FIELDS = {
    "message_main_attachment_id",
    "message_follower_ids",
    "message_ids",
    "website_message_ids",
    "activity_ids",
    "rating_ids",
    "child_ids",
    "curator_history_ids",
}


class TrustedUsers(fields.Many2many):
    """The trusted users of partners. Most clients have none: one look at the
    relation table answers for those, without applying the users' record
    rules (which, through each user's partner, are the partners' rules
    again) and sorting users by name; the others are read as Odoo does."""

    def read(self, records):  # pylint: disable=missing-return
        # partners fetched with their flag (``client_guard_has_trusted_users``) that have none: no query
        flag = records._fields["client_guard_has_trusted_users"]
        flagged = dict(zip(records._ids, records.env.cache.get_values(records, flag), strict=False)) \
            if not next(records.env.cache.get_missing_ids(records, flag), None) else {}
        if flagged:
            none = records.browse([rid for rid in records._ids if not flagged[rid]])
            records.env.cache.insert_missing(none, self, [()] * len(none))
            records = records.browse([rid for rid in records._ids if flagged[rid]])
            if not records:
                return
        ids = tuple(records._ids)
        records.env.cr.execute(SQL(
            "SELECT DISTINCT %s FROM %s WHERE %s IN %s",
            SQL.identifier(self.column1), SQL.identifier(self.relation), SQL.identifier(self.column1), ids))
        linked = {row[0] for row in records.env.cr.fetchall()}
        none = records.browse([rid for rid in ids if rid not in linked])
        records.env.cache.insert_missing(none, self, [()] * len(none))
        if linked:
            super().read(records.browse([rid for rid in ids if rid in linked]))


class ResPartner(models.Model):
    _inherit = "res.partner"

    user_id = fields.Many2one(string="Curator", index="btree_not_null", tracking=True)
    team_id = fields.Many2one(
        "crm.team",
        string="Department",
        index="btree_not_null",
        tracking=True,
        help="Sales team the client belongs to. Contacts follow their company.",
    )
    is_client = fields.Boolean(
        string="Is a Client",
        compute="_compute_is_client",
        store=True,
        help="Technical: every partner but the partners of internal users (employees), of the public "
        "user and of the companies of this database; portal customers are clients. "
        "Only clients are subject to Client Guard's visibility levels.",
    )
    is_private = fields.Boolean(
        string="Private Client",
        tracking=True,
        help="Only the curator and the trusted users see a private client, administrators included.",
    )
    trusted_user_ids = TrustedUsers(
        "res.users",
        "res_partner_trusted_user_rel",
        "partner_id",
        "user_id",
        string="Trusted Users",
        help="Users who may see this private client besides its curator.",
    )
    client_guard_has_trusted_users = fields.Boolean(
        string="Has Trusted Users",
        compute="_compute_client_guard_has_trusted_users",
        store=True,
        help="Technical: the partner has trusted users. Read with the partner's other columns, it "
        "spares a query for the trusted users of partners that have none (most clients).",
    )
    contact_reason_id = fields.Many2one(
        "client_guard.contact.reason",
        string="Reason of Contact",
        index="btree_not_null",
        help="How the client came to us (a call, the website, a recommendation...). "
        "Each company may require it when salespeople create a client.",
    )
    registration_date = fields.Date(
                default=fields.Date.context_today,
        copy=False,
        help="When the client was registered in the base. Protected like the curator.",
    )
    curator_history_ids = fields.One2many(
        "res.partner.curator.history",
        "partner_id",
                readonly=True,
    )

    ref_company_ids = fields.One2many(
        "res.company", "partner_id", string="Companies that refer to partner"
    )

    @api.depends("user_ids.share", "user_ids.groups_id", "ref_company_ids")
    def _compute_is_client(self):
        """A client is what the suite says it is, not whether someone gave the
        partner a user account: the partners of employees (internal users), of
        the public user and of the companies are not clients; everyone else
        is, portal customers included."""
        for partner in self.sudo().with_context(active_test=False):
            partner.is_client = not partner.ref_company_ids and not any(
                not user.share or user._is_public() for user in partner.user_ids
            )

    client_guard_scope_key = fields.Integer(
        string="Visibility Key",
        compute="_compute_client_guard_scope_key",
        store=True,
        help="Technical: -1 for a partner that is not a client, else the client's department "
        "(-2 without one). The record rules narrow on it first, so that PostgreSQL reads "
        "only the departments a user may reach, from one index.",
    )

    @api.depends("is_client", "team_id", "user_id")
    def _compute_client_guard_scope_key(self):
        """The key is a function of the row alone (never 0: Odoo adds ``OR key
        IS NULL`` to an ``in`` whose list holds a falsy value, which no index
        range answers). A user's reachable keys
        (``res.users._client_guard_scope_keys``) hold their departments and the
        departments of the clients they curate; a client curated from outside
        its department adds a key to its curator's: the cached rule domains
        are dropped then."""
        for partner in self:
            partner.client_guard_scope_key = (partner.team_id.id or -2) if partner.is_client else -1
        self._client_guard_drop_scope_cache()

    def _client_guard_drop_scope_cache(self):
        """Drop the cached rule domains when one of these clients is curated
        from outside its curator's departments (its key may be new to them).
        Called when the curator or the department is written, not only when
        the key is computed: the ORM computes it lazily, after a search may
        already have read a cached domain."""
        for partner in self.sudo():
            if partner.is_client and partner.user_id and (
                    partner.team_id.id or -2) not in partner.user_id.client_guard_team_ids.ids:
                self.env.registry.clear_cache()
                return

    @api.depends("trusted_user_ids")
    def _compute_client_guard_has_trusted_users(self):
        for partner in self:  # archived users too: the relation's rows, whatever the context
            partner.client_guard_has_trusted_users = bool(partner.with_context(active_test=False).trusted_user_ids)

    def _auto_init(self):
        """On an upgrade, fill the key and the flag in SQL rather than
        through the ORM (a million clients)."""
        cr = self.env.cr
        if not sql.column_exists(cr, "res_partner", "client_guard_has_trusted_users"):
            sql.create_column(cr, "res_partner", "client_guard_has_trusted_users", "bool")
            if sql.table_exists(cr, "res_partner_trusted_user_rel"):
                cr.execute("UPDATE res_partner p SET client_guard_has_trusted_users = TRUE WHERE EXISTS("
                           "SELECT 1 FROM res_partner_trusted_user_rel r WHERE r.partner_id = p.id)")
        if sql.column_exists(cr, "res_partner", "is_client") and not sql.column_exists(
                cr, "res_partner", "client_guard_scope_key"):
            sql.create_column(cr, "res_partner", "client_guard_scope_key", "int4")
            cr.execute("UPDATE res_partner SET client_guard_scope_key ="
                       " CASE WHEN is_client THEN COALESCE(team_id, -2) ELSE -1 END")
        return super()._auto_init()

    def init(self):
        """A covering index led by the visibility key: the global rule
        ``client_guard_scope_key IN (...)`` becomes an index range, and the
        columns the other rules read (curator, department, private flag,
        Odoo's company rule, ``active``) are in the index, so PostgreSQL
        answers a count or a page from an index-only scan of the user's
        departments instead of reading every page of the table.

        A partial index of the private clients: the rules on records that
        link a client (opportunities, curator history) name the private
        clients hidden from the user, read from it (a few rows, not a scan
        of the table)."""
        result = super().init()
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS res_partner_client_guard_scope_key_index
                ON res_partner (client_guard_scope_key, user_id)
                INCLUDE (id, team_id, is_client, is_private, active, partner_share, company_id)
        """)
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS res_partner_client_guard_private_index
                ON res_partner (id) INCLUDE (user_id, active) WHERE is_private
        """)
        return result

    @api.model
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "user_id", "team_id", "is_private", "trusted_user_ids"]

    # ------------------------------------------------------------------
    # Record rules: reads checked in SQL
    # ------------------------------------------------------------------
    def fetch(self, field_names):  # pylint: disable=missing-return
        """Odoo's ``fetch`` reads the partners through the user's record rules
        (or checks them) and raises for any it may not read: once it returns,
        the door of contact details knows that the user reads these partners
        and does not check their rules again in Python at the end of the same
        web_read (``readable_memo``: only while one is answered). Within a
        web_read, the columns the door reads at its end come in the same
        query."""
        if field_names and "trusted_user_ids" in field_names and "client_guard_has_trusted_users" not in field_names:
            field_names = [*field_names, "client_guard_has_trusted_users"]  # spares a query (TrustedUsers)
        if field_names and not self.env.su and _web_read_scope() is not None:
            field_names = [*field_names, *(fname for fname in self._client_guard_door_fnames()
                                           if fname not in field_names and self._fields[fname].store
                                           and self._fields[fname].is_accessible(self.env))]
        super().fetch(field_names)
        if field_names and not self.env.su and self._ids:
            readable_memo(self.env, [rid for rid in self._ids if isinstance(rid, int)])

    def _check_access(self, operation):
        """Odoo checks the record rules of partners already in memory in
        Python (``filtered_domain`` of the rules' domain: a list's 80 clients
        after its search, the documents of the activities of a list or a
        chatter), which evaluates the private-client and company leaves record
        by record and reads the trusted users of every partner. For reads the
        same domain is asked from PostgreSQL instead, in one query on the ids
        (as Odoo's ``fetch`` does for records not yet in memory); when some
        record fails it, Odoo's own check answers (the same records, and a
        deleted record gives its usual error)."""
        ids = self._ids
        if operation != "read" or self.env.su or not all(isinstance(rid, int) for rid in ids):
            return super()._check_access(operation)
        if read_checked_in_call(self, operation):
            return None  # read by this call's fetch, under the record rules in SQL
        if len(ids) < SQL_CHECK_MIN:
            result = super()._check_access(operation)
            if ids and (result is None or not result[0]):
                readable_memo(self.env, ids)
            return result
        if not self.env["ir.model.access"].check(self._name, operation, raise_exception=False):
            return super()._check_access(operation)
        domain = self.env["ir.rule"]._compute_domain(self._name, operation)
        if not domain:
            return None
        unique = set(ids)
        allowed = self.sudo().with_context(active_test=False)._search(
            expression.AND([[("id", "in", list(unique))], domain]))
        forbidden = unique - set(allowed.get_result_ids())
        if not forbidden:
            readable_memo(self.env, unique)
            return None
        forbidden = self.browse([rid for rid in dict.fromkeys(ids) if rid in forbidden])
        if len(forbidden.sudo().exists()) != len(forbidden):
            return super()._check_access(operation)  # a deleted record: Odoo's error for it
        return forbidden, functools.partial(self.env["ir.rule"]._make_access_error, operation, forbidden)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _client_guard_protected(self):
        """True when the current user is bound by Client Guard's write limits."""
        return not self.env.su and self.env.user._client_guard_is_protected()

    def _client_guard_require(self, group_xmlid, message):
        if not self.env.user.has_group(group_xmlid):
            group = self.env.ref(group_xmlid)
            self.env["client_guard.security.event"]._log_refusal(
                "write_refused", message, model=self._name, res_ids=self.ids
            )
            raise UserError(
                _("%(message)s\nMissing right: %(right)s.", message=message, right=group.name)
            )

    @api.model
    def _client_guard_x2many_ids(self, record, fname, value):
        """Resulting ids of an x2many field after applying ``value`` commands."""
        ids = list(record[fname].ids)
        for command in value or []:
            if isinstance(command, int):  # a plain list of ids replaces the value
                ids = [c for c in value if isinstance(c, int)]
                break
            code = command[0]
            if code == Command.SET:
                ids = list(command[2])
            elif code == Command.CLEAR:
                ids = []
            elif code == Command.LINK and command[1] not in ids:
                ids.append(command[1])
            elif code in (Command.UNLINK, Command.DELETE):
                ids = [i for i in ids if i != command[1]]
            elif code == Command.CREATE:
                ids.append(None)
        return ids

    def _client_guard_changed(self, record, fname, value):
        """Return (old_value_set, changed) for ``fname`` on ``record``."""
        field = self._fields[fname]
        old = record[fname]
        if field.type in ("many2many", "one2many"):
            new_ids = self._client_guard_x2many_ids(record, fname, value)
            removed = set(old.ids) - set(new_ids)
            return bool(old), bool(removed) or set(new_ids) != set(old.ids)
        new = field.convert_to_record(field.convert_to_cache(value, record), record)
        if field.type == "binary":
            return bool(old), (old or False) != (new or False)
        if field.type in ("float", "monetary"):
            return bool(old), float(old or 0) != float(new or 0)
        if field.type == "boolean":
            return bool(old), bool(old) != bool(new)
        if field.type in ("char", "text", "html", "selection"):
            return bool(old), (old or False) != (new or False)
        return bool(old), old != new

    def _client_guard_check_write(self, vals):
        clients = self.filtered("is_client")
        if not clients:
            return
        user = self.env.user
        if len(clients) > 1:
            clients._client_guard_require(
                "client_guard.group_mass_operations",
                _("You can change only one client at a time (%s selected).", len(clients)),
            )
        if "active" in vals and not vals["active"] and any(clients.mapped("active")):
            clients._client_guard_require(
                "client_guard.group_delete_clients", _("You are not allowed to archive clients.")
            )
        can_manage = user.has_group("client_guard.group_manage_curators")
        can_overwrite = user.has_group("client_guard.group_edit_existing")
        for record in clients:
            for fname, value in vals.items():
                field = self._fields.get(fname)
                if not field or fname in TECHNICAL_FIELDS or fname == "active":
                    continue
                if fname in PROTECTED_FIELDS:
                    if not can_manage and self._client_guard_changed(record, fname, value)[1]:
                        record._client_guard_require(
                            "client_guard.group_manage_curators",
                            _(
                                "You are not allowed to change the field “%(field)s” of client %(client)s.",
                                field=self._client_guard_field_label(fname),
                                client=record.display_name,
                            ),
                        )
                    continue
                if can_overwrite or not field.store or (field.compute and not field.inverse):
                    continue
                if record._client_guard_may_replace(fname):
                    continue
                if field.type == "one2many":
                    if any(
                        not isinstance(c, int) and c[0] in (Command.DELETE, Command.UNLINK, Command.CLEAR, Command.SET)
                        for c in value or []
                    ):
                        record._client_guard_require(
                            "client_guard.group_edit_existing",
                            _(
                                "You can add to “%(field)s” of client %(client)s but not remove from it.",
                                field=self._client_guard_field_label(fname),
                                client=record.display_name,
                            ),
                        )
                    continue
                was_set, changed = self._client_guard_changed(record, fname, value)
                if was_set and changed:
                    if field.type == "many2many":
                        new_ids = set(self._client_guard_x2many_ids(record, fname, value))
                        if set(record[fname].ids) <= new_ids:
                            continue  # only additions
                    record._client_guard_require(
                        "client_guard.group_edit_existing",
                        _(
                            "The field “%(field)s” of client %(client)s is already filled in: "
                            "you may add information, not overwrite or clear it.",
                            field=self._client_guard_field_label(fname),
                            client=record.display_name,
                        ),
                    )

    def _client_guard_may_replace(self, fname):
        """Hook: True when the current user may replace the filled field
        ``fname`` of this client although the append-only rule forbids it
        (e.g. a placeholder name given by a module)."""
        return False

    @api.model
    def _client_guard_adds_trusted(self, commands):
        """Whether x2many ``commands`` on trusted_user_ids name any user (a
        copy of a client without trusted users writes ``[(6, 0, [])]``)."""
        for command in commands or ():
            if isinstance(command, int) or (isinstance(command, (list, tuple)) and command[0] == 4):
                return True
            if isinstance(command, (list, tuple)) and command[0] == 6 and command[2]:
                return True
            if isinstance(command, (list, tuple)) and command[0] in (0, 1):
                return True
        return False

    def _client_guard_check_create(self, vals_list):
        user = self.env.user
        can_manage = user.has_group("client_guard.group_manage_curators")
        default_team = user.sale_team_id or user.client_guard_team_ids[:1]
        for vals in vals_list:
            # the caller's default_* context keys count as values (the curator
            # and, when the user has one, the department are always set below)
            effective = self._client_guard_with_defaults(
                vals, ("parent_id", "is_private", "trusted_user_ids", *(() if default_team else ("team_id",))))
            if effective.get("parent_id"):
                if vals.get("parent_id"):
                    self._client_guard_contact_defaults(vals)
                continue  # contacts follow their company
            if not can_manage:
                if vals.get("user_id") and vals["user_id"] != user.id:
                    self._client_guard_require(
                        "client_guard.group_manage_curators",
                        _("You can only create clients that you curate yourself."),
                    )
                if effective.get("team_id") and effective["team_id"] not in user.client_guard_team_ids.ids:
                    self._client_guard_require(
                        "client_guard.group_manage_curators",
                        _("You can only create clients in your own departments."),
                    )
                if effective.get("is_private") or self._client_guard_adds_trusted(effective.get("trusted_user_ids")):
                    self._client_guard_require(
                        "client_guard.group_manage_curators",
                        _("You are not allowed to make a client private."),
                    )
            if not vals.get("user_id"):
                vals["user_id"] = user.id
            if not vals.get("team_id") and default_team:
                vals["team_id"] = default_team.id

    # ------------------------------------------------------------------
    # Privacy: set by whoever holds the right, even when it hides the client
    # from them (the rules would refuse the rest of their own write)
    # ------------------------------------------------------------------
    def _client_guard_privacy_split(self, vals):
        privacy = {fname: vals[fname] for fname in PRIVACY_FIELDS if fname in vals}
        if not privacy or self.env.su:
            return vals, {}
        return {k: v for k, v in vals.items() if k not in privacy}, privacy

    def _client_guard_write_privacy(self, privacy):
        """Write the privacy fields as superuser, once the limits
        (_client_guard_check_*) and the user's own access were checked."""
        return super(ResPartner, self.sudo()).write(privacy)

    def _client_guard_loses_sight(self):
        """True when the current user would not see this client once private."""
        self.ensure_one()
        user = self.env.user
        # _origin: in the form (onchange) the users are new records
        return bool(self.is_private and not self.parent_id and self.user_id._origin != user
                    and user not in self.trusted_user_ids._origin)

    @api.onchange("is_private", "trusted_user_ids", "user_id")
    def _onchange_client_guard_privacy(self):
        if self._client_guard_loses_sight():
            return {"warning": {
                "title": _("You will no longer see this client"),
                "message": _("Once saved, a private client is seen only by its curator and its trusted users: "
                             "add yourself to the trusted users to keep it in sight."),
            }}
        return None

    def web_save(self, vals, specification, next_id=None):
        """The form reads the client back after saving: when the user has just
        made it private to others, show it once more (what they were looking
        at) instead of refusing the save."""
        if next_id or not (set(PRIVACY_FIELDS) & set(vals)):
            return super().web_save(vals, specification, next_id=next_id)
        if self:
            self.write(vals)
            records = self
        else:
            records = self.create(vals)
        if not records.has_access("read"):
            records = records.sudo()
        return records.with_context(bin_size=True).web_read(specification)

    def _client_guard_contact_defaults(self, vals):
        """A contact created with its company (the form's new contacts, with a
        curator not chosen yet) takes the company's curator and department
        now: Odoo copies them only after the record rules checked the
        creation, which an own-level user would fail."""
        parent = self.sudo().browse(vals["parent_id"]).commercial_partner_id
        for fname in ("user_id", "team_id"):
            if not vals.get(fname) and parent[fname]:
                vals[fname] = parent[fname].id

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if self._client_guard_protected():
            self._client_guard_check_create(vals_list)
        split = [self._client_guard_privacy_split(vals) for vals in vals_list]
        partners = super().create([vals for vals, _privacy in split])
        for partner, (_vals, privacy) in zip(partners, split, strict=True):
            if privacy:
                partner._client_guard_write_privacy(privacy)
        curated = partners.filtered(lambda p: p.user_id and not p.parent_id and p.is_client)
        if curated:
            self.env["res.partner.curator.history"].sudo()._record_assignment(curated, {})
        partners._client_guard_drop_scope_cache()
        # a new partner has no past details yet (a tracked change drops this)
        known = self._client_guard_past_known()
        for partner in partners:
            known.setdefault(partner.id, [])
        return partners

    def write(self, vals):
        if self._client_guard_protected():
            self._client_guard_check_write(vals)
        changed, previous = self.browse(), {}
        if "user_id" in vals:
            new_curator = vals["user_id"] or False
            changed = self.filtered(
                lambda p: p.is_client and not p.parent_id and p.user_id.id != new_curator
            )
            previous = {partner.id: partner.user_id.id for partner in changed}
        vals, privacy = self._client_guard_privacy_split(vals)
        if privacy:
            self.check_access("write")
        result = super().write(vals) if vals or not privacy else True
        if privacy:
            self._client_guard_write_privacy(privacy)
        if changed:
            self.env["res.partner.curator.history"].sudo()._record_assignment(changed, previous)
        if {"user_id", "team_id", "parent_id"} & set(vals):
            self._client_guard_drop_scope_cache()
        return result

    def unlink(self):
        if self._client_guard_protected():
            clients = self.filtered("is_client")
            if len(clients) > 1:
                clients._client_guard_require(
                    "client_guard.group_mass_operations",
                    _("You can delete only one client at a time (%s selected).", len(clients)),
                )
            if clients:
                clients._client_guard_require(
                    "client_guard.group_delete_clients", _("You are not allowed to delete clients.")
                )
        return super().unlink()

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _client_guard_generate_demo(self, count=210):
        """Create ``count`` demo client companies with contacts, a few private
        ones, open opportunities and activities, spread over the demo users."""
        env = self.sudo().env
        ref = env.ref
        curators = [
            (ref("client_guard.user_sales_own"), ref("client_guard.team_moscow")),
            (ref("client_guard.user_sales_department"), ref("client_guard.team_moscow")),
            (ref("client_guard.user_head_moscow"), ref("client_guard.team_moscow")),
            (ref("client_guard.user_sales_spb"), ref("client_guard.team_spb")),
            (ref("client_guard.user_sales_all"), ref("client_guard.team_spb")),
            (ref("client_guard.user_leadgen"), ref("client_guard.team_leadgen")),
        ]
        words = ["Альфа", "Вектор", "Гранит", "Дельта", "Заря", "Импульс", "Кедр", "Лидер",
                 "Меридиан", "Надежда", "Орион", "Прогресс", "Ресурс", "Сигма", "Техно"]
        firsts = ["Алексей", "Ирина", "Павел", "Наталья", "Игорь", "Светлана", "Михаил", "Татьяна"]
        lasts = ["Иванов", "Смирнов", "Попов", "Васильев", "Новиков", "Фёдоров", "Козлов", "Лебедев"]
        company_vals = []
        for index in range(count):
            user, team = curators[index % len(curators)]
            private = index % 35 == 7
            company_vals.append({
                "name": f"ООО «{words[index % len(words)]}-{index + 1:03d}»",
                "is_company": True,
                "user_id": user.id,
                "team_id": team.id,
                "phone": f"+7 495 {100 + index:03d}-{index % 100:02d}-{(index * 7) % 100:02d}",
                "email": f"office{index + 1}@client{index + 1}.example.ru",
                "city": "Москва" if team == curators[0][1] else "Санкт-Петербург",
                "is_private": private,
                "trusted_user_ids": [(6, 0, [ref("client_guard.user_head_moscow").id])] if private else [],
            })
        companies = self.sudo().create(company_vals)
        contact_vals = []
        for index, company in enumerate(companies):
            for n in range(1 + index % 2):
                first = firsts[(index + n) % len(firsts)]
                last = lasts[(index * 3 + n) % len(lasts)]
                contact_vals.append({
                    "name": f"{first} {last}",
                    "parent_id": company.id,
                    "type": "contact",
                    "function": "Директор" if n == 0 else "Менеджер по закупкам",
                    "mobile": f"+7 916 {index:03d}-{n:02d}-{(index * 3) % 100:02d}",
                    "email": f"{last.lower()}{index}@client{index + 1}.example.ru",
                })
        self.sudo().create(contact_vals)
        leads = env["crm.lead"].create([
            {
                "name": f"Поставка для {company.name}",
                "type": "opportunity",
                "partner_id": company.id,
                "user_id": company.user_id.id,
                "team_id": company.team_id.id,
                "expected_revenue": 10000 * (1 + index % 9),
            }
            for index, company in enumerate(companies[::3])
        ])
        todo = ref("mail.mail_activity_data_todo")
        call = ref("mail.mail_activity_data_call")
        today = fields.Date.context_today(self)
        partner_model = env["ir.model"]._get_id("res.partner")
        lead_model = env["ir.model"]._get_id("crm.lead")
        activities = [
            {
                "res_model_id": partner_model,
                "res_id": company.id,
                "activity_type_id": call.id,
                "summary": "Позвонить клиенту",
                "user_id": company.user_id.id,
                "date_deadline": today,
            }
            for company in companies[::2]
        ] + [
            {
                "res_model_id": lead_model,
                "res_id": lead.id,
                "activity_type_id": todo.id,
                "summary": "Отправить коммерческое предложение",
                "user_id": lead.user_id.id,
                "date_deadline": today,
            }
            for lead in leads
        ]
        env["mail.activity"].create(activities)
        return True

    # ------------------------------------------------------------------
    # Bulk chatter notes
    # ------------------------------------------------------------------
    @api.model
    def _client_guard_log_notes(self, bodies, author=None):
        """Log one internal note per partner, ``bodies`` mapping partner ids to
        HTML (Markup) bodies, in a single INSERT. Used by bulk flows (curator
        transfers, PBX calls) where the ORM's message creation (about 1 ms per
        message: defaults, sanitizing, notifications) would dominate."""
        if not bodies:
            return
        now = self.env.cr.now()
        author = author or self.env.user.partner_id
        # the note subtype's id from the cached xmlid look-up (env.ref also checks that the record exists:
        # a query per call of a single-call push)
        note = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        self.env.cr.execute(
            """
            INSERT INTO mail_message (model, res_id, body, message_type, subtype_id, author_id, date,
                                      create_uid, create_date, write_uid, write_date, is_internal)
            SELECT 'res.partner', data.res_id, data.body, 'notification', %s, %s, %s, %s, %s, %s, %s, true
              FROM unnest(%s::int[], %s::text[]) AS data(res_id, body)
            """,
            (note, author.id, now, self.env.uid, now, self.env.uid, now,
             list(bodies), [str(body) for body in bodies.values()]),
        )
        self.env["mail.message"].invalidate_model()
