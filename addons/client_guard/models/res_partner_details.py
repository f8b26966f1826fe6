# pylint: disable=consider-merging-classes-inherited
# (kept apart from the main class of the model: the door of contact details)
import functools

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, MissingError
from odoo.models import PREFETCH_MAX
from odoo.tools import SQL, sql

from .base_details import door_access_memo, in_door_lookup
from .contact_details import (
    FULL,
    HIDDEN,
    MASKED,
    NONE,
    DetailScanner,
    has_strings,
    mask_email,
    mask_phone,
    mask_text,
)

# Fields of a partner whose value is a contact detail (images are not
# strings: they are blanked by field, the rest is found by value).
IMAGE_FIELDS = (
    "image_1920", "image_1024", "image_512", "image_256", "image_128",
    "avatar_1920", "avatar_1024", "avatar_512", "avatar_256", "avatar_128",
)
DISPLAY_KEYS = ("show_address", "address_inline", "show_email", "show_vat", "show_address_only")
# Fields of a partner that hold a contact detail as text: a search on them
# is a question about the detail, a tracked change of them shows the detail.
DETAIL_FIELDS = {
    "phone": "phone", "mobile": "phone", "phone_sanitized": "phone", "phone_e164": "phone",
    "mobile_e164": "phone", "phone_mobile_search": "phone",
    "email": "email", "email_normalized": "email",
    "vat": "text", "street": "text", "street2": "text", "zip": "text", "city": "text",
    "contact_address": "text", "contact_address_complete": "text", "contact_address_inline": "text",
    "company_registry": "text",
}

# What the door reads of a client to know its details (the phone fields of
# phone_validation when installed), and where it keeps, for the transaction,
# the past values of the clients' details (``_client_guard_past_secrets``).
PHONE_FIELDS = ("phone", "mobile", "phone_sanitized", "phone_e164", "mobile_e164")
SECRET_FIELDS = ("name", "email", "email_normalized", *PHONE_FIELDS, "street", "street2", "zip", "vat", "city")
PAST_KEY = "client_guard_past_details"


def mask_detail(kind, value, level):
    """A detail value (a tracked old or new value) at ``level``."""
    if level == FULL or not value or not isinstance(value, str):
        return value
    if level == MASKED:
        return {"phone": mask_phone, "email": mask_email}.get(kind, mask_text)(value)
    return False


class ResPartner(models.Model):
    _inherit = "res.partner"

    client_guard_has_bank_account = fields.Boolean(
        string="Has Bank Accounts",
        compute="_compute_client_guard_has_bank_account",
        store=True,
        help="Technical: the partner has bank accounts (archived ones included). Read with the "
        "partner's other columns, it spares the contact-details door a query for the bank "
        "accounts of partners that have none.",
    )

    @api.depends("bank_ids")
    def _compute_client_guard_has_bank_account(self):
        """Archived accounts count (their numbers stay details of the
        client); an account moved to another partner or deleted changes
        ``bank_ids`` of both sides, and the flag is computed again."""
        Bank = self.env["res.partner.bank"].sudo().with_context(active_test=False)
        ids = [pid for pid in self.ids if pid]
        holders = {partner.id for [partner] in Bank._read_group([("partner_id", "in", ids)], ["partner_id"])} \
            if ids else set()
        for partner in self:
            partner.client_guard_has_bank_account = partner.id in holders

    def _auto_init(self):
        """On an upgrade, fill the flag in SQL rather than through the ORM
        (a million clients)."""
        cr = self.env.cr
        if sql.table_exists(cr, "res_partner_bank") and not sql.column_exists(
                cr, "res_partner", "client_guard_has_bank_account"):
            sql.create_column(cr, "res_partner", "client_guard_has_bank_account", "bool")
            cr.execute("UPDATE res_partner p SET client_guard_has_bank_account ="
                       " EXISTS(SELECT 1 FROM res_partner_bank b WHERE b.partner_id = p.id)")
        return super()._auto_init()

    # ------------------------------------------------------------------
    # The door: who gets which contact details of which partner
    # ------------------------------------------------------------------
    def _client_guard_detail_access(self, count=False):
        """The one place that decides whether the contact details of these
        partners (phone, mobile, e-mail, address, tax id, bank accounts,
        image) leave the server for the current user (``env.uid``, also when
        the code runs as sudo: a sudo read on behalf of a caller is still the
        caller's read).

        Returns ``{partner id: level}``: ``full``; ``masked`` (last digits of
        the phones, first letters of the e-mail); ``none`` (the client is
        visible, its details are not: contact-detail level of the user);
        ``hidden`` (the user may not read the client at all: no details and,
        where the caller supplied the id, no name either). Partners that are
        not clients (users, companies of the database) are ``full``.

        With ``count``, the details are about to be returned: the clients
        released (full or masked) are counted as read, which is where the
        exfiltration guard counts and refuses a blocked user."""
        ids = [pid for pid in dict.fromkeys(self._origin.ids) if isinstance(pid, int) and pid]
        access = dict.fromkeys(ids, FULL)
        uid = self.env.uid
        if uid == SUPERUSER_ID or not ids:
            return access
        memo = door_access_memo()  # answers kept for the web_read being answered
        key = (uid, tuple(self.env.context.get("allowed_company_ids") or ()))
        # {pid: level, None: not a client; ("level",): the user's contact-detail level}
        known = memo.setdefault(key, {}) if memo is not None else {}
        unknown = self.env["res.partner"].sudo().with_context(active_test=False).browse(
            [pid for pid in ids if pid not in known])
        # the columns the door reads (is it a client, its details), in one query, rather than
        # every column of the partners (``filtered`` on a field not loaded yet)
        unknown.fetch(self._client_guard_door_fnames())
        clients = unknown.filtered("is_client")
        if clients:
            if ("level",) not in known:
                known[("level",)] = self.env["res.users"].sudo()._client_guard_detail_level(uid)
            level = known[("level",)]
            checked = known.get(("readable", "res.partner"), set())  # read by this web_read: the rules said yes
            unchecked = clients.browse([pid for pid in clients._ids if pid not in checked])
            readable = checked.union(unchecked.with_user(uid)._client_guard_readable_ids() if unchecked else ())
            known.update((pid, level if pid in readable else HIDDEN) for pid in clients.ids)
        known.update((pid, None) for pid in unknown.ids if pid not in known)
        client_ids = [pid for pid in ids if known[pid] is not None]
        if not client_ids:
            return access
        access.update((pid, known[pid]) for pid in client_ids)
        if count:
            released = [pid for pid in client_ids if access[pid] in (FULL, MASKED)]
            if released:
                self.env["res.partner"].sudo()._client_guard_count_reads(released)
        return access

    @api.model
    def _client_guard_door_fnames(self):
        """The stored fields of a partner the door reads: whether it is a
        client, whether it has bank accounts, its details, and the partners it
        links (``_client_guard_linked_partners``)."""
        links = [fname for fname in self._client_guard_partner_fields() if self._fields[fname].column_type]
        return [fname for fname in ("is_client", "client_guard_has_bank_account", *SECRET_FIELDS, *links)
                if fname in self._fields and self._fields[fname].column_type]

    def _client_guard_readable_ids(self):
        """Ids of these partners the current user may read (record rules,
        archived partners included): Odoo's own check of records in memory
        (``_check_access``: no query for a few partners already loaded, one
        for many), or a search when some of them no longer exist."""
        partners = self.with_context(active_test=False)
        try:
            return partners._filtered_access("read")._ids
        except MissingError:
            return partners.search([("id", "in", list(self._ids))])._ids

    @api.model
    def _client_guard_check_bulk(self, partner_ids, description, minimum=2):
        """Many clients' contact details in one go (a report on several
        clients' records, a vCard file) are an export: a user under Client
        Guard needs the export right for them. ``partner_ids``: the partners
        whose details would go out; refused when ``minimum`` or more of them
        are clients the user would get details of (full or masked)."""
        uid = self.env.uid
        if uid == SUPERUSER_ID or not partner_ids:
            return
        user = self.env["res.users"].sudo().browse(uid)
        if not user._client_guard_is_protected() or user.has_group("base.group_allow_export"):
            return
        access = self.browse(list(partner_ids))._client_guard_detail_access()
        released = [pid for pid, level in access.items() if level in (FULL, MASKED)
                    and self.sudo().browse(pid).is_client]
        if len(released) < minimum:
            return
        self.env["client_guard.security.event"].sudo()._log_refusal(
            "export_refused", _("%(what)s with the contact details of %(count)s clients refused.",
                                what=description, count=len(released)),
            model="res.partner", res_ids=released[:200])
        raise AccessError(_("The contact details of several clients at once are an export: "
                            "you don't have the rights to export data. Please contact an Administrator."))

    def _client_guard_search_restricted(self):
        """A domain on a contact detail is a question about it: for a user
        who does not see clients' details in full (masked or no contact
        details), such a domain leaf matches no client; clients the user may
        not read are already out of every search by the record rules."""
        uid = self.env.uid
        if self.env.su or uid == SUPERUSER_ID or in_door_lookup():
            return False
        return self.env["res.users"].sudo()._client_guard_detail_level(uid) != FULL

    def _condition_to_sql(self, alias, fname, operator, value, query):
        sql = super()._condition_to_sql(alias, fname, operator, value, query)
        if fname in DETAIL_FIELDS and self._client_guard_search_restricted():
            sql = SQL("(%s AND %s IS NOT TRUE)", sql, SQL.identifier(alias, "is_client"))
        return sql

    def _client_guard_count_reads(self, partner_ids):
        """Hook of the exfiltration guard: the contact details of the clients
        ``partner_ids`` are returned to the current user."""
        return None

    @api.model
    def _client_guard_secrets(self, partner_ids, history=False):
        """What counts as a contact detail of each partner, read as superuser.
        ``history``: also the values the partner's details had before (the
        tracked changes of its chatter), for values that may quote them."""
        values = self._client_guard_secret_values(partner_ids)  # the others are never held back
        secrets = {}
        for pid, partner in values.items():
            emails = {partner["email"], partner["email_normalized"]} - {False, None, ""}
            phones = [partner.get(fname) for fname in PHONE_FIELDS]
            secrets[pid] = {
                "emails": [email.strip() for email in emails if email.strip()],
                "phones": [phone for phone in phones if phone],
                "texts": [text.strip() for text in (partner["street"], partner["street2"], partner["zip"],
                                                    partner["vat"], *partner["accounts"]) if text and text.strip()],
                "exact": [partner["city"].strip()] if partner["city"] and partner["city"].strip() else [],
                "name": (partner["name"] or "").strip(),
            }
        if history and secrets:
            self._client_guard_past_secrets(secrets)
        return secrets

    @api.model
    def _client_guard_secret_values(self, partner_ids):
        """{client id: {field: value, "accounts": [bank account numbers]}}
        for the clients among ``partner_ids`` (archived ones and archived
        accounts included; ids of partners that do not exist are left out).

        The door asks this for every value it returns: from the ORM's cache
        when it holds the partners (the partners of a thread, of a list
        usually are: no query, or one for the bank accounts of every client
        loaded so far), else in one query."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        partners = Partner.browse(pid for pid in dict.fromkeys(partner_ids) if pid)
        if not partners:
            return {}
        fnames = [fname for fname in SECRET_FIELDS if fname in Partner._fields]
        cache = self.env.cache
        if not any(next(cache.get_missing_ids(partners, Partner._fields[fname]), None)
                   for fname in ("is_client", "client_guard_has_bank_account", *fnames)):
            # the values straight from the cache, a field at a time (a list's 80 clients)
            def column(records, fname):
                return cache.get_until_miss(records, Partner._fields[fname])

            clients = Partner.browse([pid for pid, is_client in zip(partners._ids, column(partners, "is_client"),
                                                                    strict=True) if is_client])
            holders = Partner.browse([pid for pid, has in zip(
                clients._ids, column(clients, "client_guard_has_bank_account"), strict=True) if has])
            if next(cache.get_missing_ids(holders, Partner._fields["bank_ids"]), None):
                holders = holders.with_prefetch(self._client_guard_loaded_clients(holders))
            accounts = {holder.id: holder.bank_ids.mapped("acc_number") for holder in holders}
            columns = [column(clients, fname) for fname in fnames]
            return {
                pid: {**{fname: values[i] for fname, values in zip(fnames, columns, strict=True)},
                      "accounts": accounts.get(pid, [])}
                for i, pid in enumerate(clients._ids)
            }
        stored = [fname for fname in fnames if Partner._fields[fname].column_type]
        Partner.flush_model(["is_client", *stored])
        self.env["res.partner.bank"].flush_model(["partner_id", "acc_number"])
        rows = self.env.execute_query(SQL(
            """SELECT p.id, ARRAY(SELECT b.acc_number FROM res_partner_bank b
                                   WHERE b.partner_id = p.id ORDER BY b.id), %s
                 FROM res_partner p WHERE p.id IN %s AND p.is_client""",
            SQL(", ").join(SQL.identifier("p", fname) for fname in stored), tuple(partners.ids)))
        result = {pid: {"accounts": accounts, **dict(zip(stored, row, strict=True))} for pid, accounts, *row in rows}
        others = [fname for fname in fnames if fname not in stored]
        for client in Partner.browse(list(result)) if others else ():
            result[client.id].update({fname: client[fname] for fname in others})
        return result

    @api.model
    def _client_guard_loaded_clients(self, clients):
        """``clients`` followed by the other clients loaded in this
        transaction (at most ``PREFETCH_MAX``): what the door reads about
        one of them it reads for all of them at once."""
        field = self._fields["is_client"]
        loaded = self.env.cache.get_records(self.sudo(), field)
        loaded_ids = [pid for pid, is_client in zip(loaded._ids, self.env.cache.get_values(loaded, field),
                                                    strict=True) if is_client and isinstance(pid, int)]
        return list(dict.fromkeys([*clients._ids, *loaded_ids]))[:max(PREFETCH_MAX, len(clients))]

    @api.model
    def _client_guard_past_secrets(self, secrets):
        """Add to ``secrets`` the old and new values of the tracked changes of
        the partners' contact details. Looked up once per transaction for
        the clients loaded so far (until the next tracked change or flush)."""
        known = self._client_guard_past_known()
        missing = [pid for pid in secrets if pid not in known]
        if missing:
            self._client_guard_load_past(known, self._client_guard_loaded_clients(self.browse(missing)))
        for pid, secret in secrets.items():
            for key, value in known.get(pid, ()):
                if value not in secret[key]:
                    secret[key].append(value)

    @api.model
    def _client_guard_past_known(self):
        """{partner id: [(secrets key, past value)]} known in this transaction
        (dropped at its end and when a change is tracked)."""
        cr = self.env.cr
        known = cr.cache.get(PAST_KEY)
        if known is None:
            known = cr.cache[PAST_KEY] = {}
            drop = functools.partial(cr.cache.pop, PAST_KEY, None)
            cr.postcommit.add(drop)
            cr.postrollback.add(drop)
        return known

    @api.model
    def _client_guard_load_past(self, known, partner_ids):
        """Fill ``known`` with ``{partner id: [(secrets key, value)]}`` for ``partner_ids``."""
        field_ids = self.env["ir.model.fields"]._get_ids("res.partner")  # cached per registry
        fields = [field_ids[fname] for fname in DETAIL_FIELDS if fname in field_ids]
        for pid in partner_ids:
            known[pid] = []
        if not fields or not partner_ids:
            return
        self.env.cr.execute(SQL(
            """SELECT m.res_id, f.name, t.old_value_char, t.new_value_char
                 FROM mail_tracking_value t
                 JOIN mail_message m ON m.id = t.mail_message_id
                 JOIN ir_model_fields f ON f.id = t.field_id
                WHERE m.model = 'res.partner' AND m.res_id IN %s AND t.field_id IN %s""",
            tuple(partner_ids), tuple(fields)))
        for res_id, fname, *values in self.env.cr.fetchall():
            key = {"email": "emails", "phone": "phones"}.get(DETAIL_FIELDS[fname], "texts")
            for value in values:
                if value and value.strip() and (key, value.strip()) not in known[res_id]:
                    known[res_id].append((key, value.strip()))

    @api.model
    def _client_guard_scrub(self, value, partner_ids, hide_names=False, bulk=None, history=False):
        """Pass ``value`` (anything about to be returned to the caller) through
        the door for the partners ``partner_ids`` it may carry details of:
        the details of partners the user may not see in full are masked or
        removed, and the clients whose details go out are counted.
        ``hide_names``: the caller chose the partner ids (onchange, defaults),
        so the names of partners they may not read are replaced too.
        ``bulk``: what the value is (a report) when it may carry several
        clients' details at once: then it needs the export right
        (``_client_guard_check_bulk``). ``history``: the value may quote past
        values of the details (a message), look for them too."""
        if self.env.uid == SUPERUSER_ID or not partner_ids or not value or not has_strings(value):
            return value
        scanner = DetailScanner(self._client_guard_secrets(list(partner_ids), history=history),
                                hide_names=hide_names)
        if not scanner:
            return value
        details, names = scanner.find(value)
        if not details and not names:
            return value
        if bulk and len(details) > 1:
            self._client_guard_check_bulk(details, bulk)
        access = self.browse(details)._client_guard_detail_access(count=True) if details else {}
        names_only = names - details
        if names_only:
            access.update(self.browse(names_only)._client_guard_detail_access())
        if all(level == FULL for level in access.values()):
            return value
        return scanner.scrub(value, access, placeholder=_("Hidden client"))

    # ------------------------------------------------------------------
    # Paths of res.partner itself
    # ------------------------------------------------------------------
    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        images = [fname for fname in IMAGE_FIELDS if fname in (fnames or ())]
        if images and result and self.env.uid != SUPERUSER_ID:
            access = self._client_guard_detail_access()
            for values in result:
                if access.get(values["id"], FULL) != FULL:
                    values.update(dict.fromkeys((fname for fname in images if fname in values), False))
        return result

    @api.depends_context("uid")
    def _compute_display_name(self):
        """The display-name keys (``show_email``, ``show_address``,
        ``show_vat``, ``address_inline``) add contact details to the name on
        any model that links a partner: they go through the door too."""
        super()._compute_display_name()
        if self.env.uid == SUPERUSER_ID or not any(self.env.context.get(key) for key in DISPLAY_KEYS):
            return
        access = self._client_guard_detail_access()
        for partner in self:
            level = access.get(partner._origin.id, FULL)
            if level == FULL:
                continue
            name = partner.with_context(lang=self.env.lang)._get_complete_name().split("\n")[0]
            if level == MASKED and self.env.context.get("show_email") and partner.email:
                name = f"{name} <{mask_email(partner.email)}>"
            partner.display_name = name.strip()

    def _build_vcard(self):
        """A vCard is a file of contact details: only through the door."""
        vcard = super()._build_vcard()
        if not vcard or self.env.uid == SUPERUSER_ID:
            return vcard
        level = self._client_guard_detail_access(count=True).get(self.id, FULL)
        if level in (NONE, HIDDEN):
            for key in ("adr", "email", "tel", "url", "photo"):
                while key in vcard.contents:
                    vcard.remove(vcard.contents[key][0])
        elif level == MASKED:
            for key in ("adr", "photo", "url"):
                while key in vcard.contents:
                    vcard.remove(vcard.contents[key][0])
            scanner = DetailScanner(self._client_guard_secrets([self.id]))
            for key in ("email", "tel"):
                for line in vcard.contents.get(key, []):
                    line.value = scanner.scrub(line.value, {self.id: MASKED})
        return vcard
