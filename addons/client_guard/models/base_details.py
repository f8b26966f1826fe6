# pylint: disable=consider-merging-classes-inherited
# (kept apart from the main class of the model: the door of contact details)
import threading
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api, models


def _partner_ids_of(field, value):
    """Ids of partners in a value of a many2one/many2many field to res.partner
    as a caller sends it (id, {"id": ...}, (id, name), commands)."""
    ids = set()
    if not value:
        return ids
    if isinstance(value, int):
        ids.add(value)
    elif isinstance(value, dict):
        if isinstance(value.get("id"), int):
            ids.add(value["id"])
    elif isinstance(value, (list, tuple)):
        if field.type == "many2one":
            if value and isinstance(value[0], int):
                ids.add(value[0])
            return ids
        for item in value:
            if isinstance(item, int):
                ids.add(item)
            elif isinstance(item, dict):
                ids.update(_partner_ids_of(field, item))
            elif isinstance(item, (list, tuple)) and item:
                if item[0] == 6 and len(item) > 2 and isinstance(item[2], (list, tuple)):
                    ids.update(i for i in item[2] if isinstance(i, int))
                elif item[0] in (1, 4) and len(item) > 1 and isinstance(item[1], int):
                    ids.add(item[1])
                elif len(item) > 2 and isinstance(item[2], dict) and isinstance(item[2].get("id"), int):
                    ids.add(item[2]["id"])
    return ids


class Base(models.AbstractModel):
    """Every path that returns values of records to a caller passes them
    through the door of contact details (``res.partner._client_guard_scrub``)
    with the partners those records link: read, web_read, onchange,
    default_get, read_group, export. A related or computed copy of a
    client's e-mail or phone on another model (an opportunity's e-mail, an
    attendee's phone, a call's number) is found by its value."""

    _inherit = "base"
    # the values of this model may quote details a client has since changed
    # (messages): the door looks for the past values of the client's details too
    _client_guard_history = False

    # ------------------------------------------------------------------
    # Which partners the values of these records may carry details of
    # ------------------------------------------------------------------
    @api.model
    def _client_guard_partner_fields(self):
        """Names of the fields of this model that link partners; computed once
        per model class of the registry (the door asks for every record set
        it passes, a form's linked records included)."""
        cls = type(self)
        names = cls.__dict__.get("_client_guard_partner_fnames")
        if names is None:
            names = tuple(
                name for name, field in self._fields.items()
                if field.type in ("many2one", "many2many") and field.comodel_name == "res.partner"
            )
            cls._client_guard_partner_fnames = names
        return list(names)

    def _client_guard_linked_partners(self, fnames=None):
        """Partners these records are or link to (stored links, and the
        computed links among ``fnames``)."""
        records = self.sudo().with_context(active_test=False)
        ids = set()
        if self._name == "res.partner":
            ids.update(pid for pid in records._origin.ids if pid)
        # the stored links in one query of those columns, when not loaded yet (rather than every
        # column of the records, e.g. of the users behind a curator's name); partners: with the
        # columns the door reads next (whether they are clients, their details)
        columns = self._client_guard_door_fnames() if self._name == "res.partner" else [
            name for name in self._client_guard_partner_fields() if self._fields[name].column_type]
        if columns and records._origin:
            records._origin.fetch(columns)
        for name in self._client_guard_partner_fields():
            field = self._fields[name]
            if not field.store and name not in (fnames or ()):
                continue
            if field.type == "many2many" and not field.store:
                continue
            ids.update(pid for pid in records._client_guard_field_partners(name)._origin.ids if pid)
        return ids

    def _client_guard_field_partners(self, fname):
        """The partners in the field ``fname`` of these records (hook: a model
        may find them where they are already loaded)."""
        return self.mapped(fname)

    def _client_guard_value_partners(self, values):
        """Partners a caller put in ``values`` (onchange, defaults)."""
        ids = set()
        for name in self._client_guard_partner_fields():
            if name in values:
                ids.update(_partner_ids_of(self._fields[name], values[name]))
        for key, value in self.env.context.items():
            name = key[8:] if key.startswith("default_") else None
            if name in self._fields and name in self._client_guard_partner_fields():
                ids.update(_partner_ids_of(self._fields[name], value))
        return ids

    def _client_guard_door_applies(self):
        return self.env.uid != SUPERUSER_ID and not self.env.su

    # ------------------------------------------------------------------
    # Paths
    # ------------------------------------------------------------------
    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if result and self._client_guard_door_applies() and not _in_web_read() and not _in_batch(self):
            result = self.env["res.partner"]._client_guard_scrub(
                result, self._client_guard_linked_partners(fnames), history=self._client_guard_history)
        return result

    def web_read(self, specification):
        applies = self._client_guard_door_applies()
        outer = _web_read_scope()
        if applies and outer is not None and outer["uid"] == self.env.uid:
            # the values of linked records (a many2one's or an x2many's own fields) read for an
            # outer web_read of the same user, whose result holds them: they pass through the door
            # with it, once, with the partners these records link added to the outer call's
            result = super().web_read(specification)
            if result:
                outer["partners"].update(self._client_guard_linked_partners(list(specification)))
                outer["history"] = outer["history"] or self._client_guard_history
            return result
        with _web_read(self.env.uid if applies else None) as scope:
            result = super().web_read(specification)
            if result and applies:
                partners = self._client_guard_linked_partners(list(specification)) | scope["partners"]
                result = self.env["res.partner"]._client_guard_scrub(
                    result, partners, history=self._client_guard_history or scope["history"])
        return result

    def _register_hook(self):
        """``default_get``, ``onchange``, ``read_group`` and ``name_search`` are overridden by
        many models, some of which add values after calling super (e.g. the
        sender of a message from its author): the door must be the last
        step. Each model's class gets one more override on top of its chain
        (cooperative: it calls ``super()`` of that class), which passes the
        final result through the door."""
        super()._register_hook()
        # all models at once, from the hook of "base": some models' hooks do
        # not call super (res.users)
        models = self.env.registry.values() if self._name == "base" else [type(self)]
        for cls in models:
            for name, post in DOOR_POSTS.items():
                if not getattr(cls.__dict__.get(name), "_client_guard_door", False):
                    setattr(cls, name, _door_override(cls, name, post))

    def _client_guard_door_onchange(self, result, args, kwargs):
        values = args[0] if args else kwargs.get("values") or {}
        partners = self._client_guard_linked_partners() | self._client_guard_value_partners(values)
        partners |= self._client_guard_value_partners(result.get("value") or {})
        return self.env["res.partner"]._client_guard_scrub(result, partners, hide_names=True)

    def _client_guard_door_default_get(self, result, args, kwargs):
        partners = self._client_guard_value_partners(result)
        return self.env["res.partner"]._client_guard_scrub(result, partners, hide_names=True)

    def _client_guard_door_read_group(self, result, args, kwargs):
        domain = args[0] if args else kwargs.get("domain")
        groupby = args[2] if len(args) > 2 else kwargs.get("groupby")
        return self._client_guard_scrub_groups(domain, groupby, result)

    def _client_guard_door_name_search(self, result, args, kwargs):
        # labels (a call's label is its number): the partners of the records found
        records = self.browse([row[0] for row in result if row and isinstance(row[0], int)])
        return self.env["res.partner"]._client_guard_scrub(result, records._client_guard_linked_partners())

    def _client_guard_scrub_groups(self, domain, groupby, groups):
        """Groups carry the grouped values (an e-mail, a phone) and the names
        of grouped partners: the partners behind them are those linked by
        the records of these groups."""
        groupby = [groupby] if isinstance(groupby, str) else list(groupby or ())
        partners = set()
        for spec in groupby:
            fname = spec.split(":")[0].split(".")[0]
            field = self._fields.get(fname)
            if not field:
                continue
            if field.type == "many2one" and field.comodel_name == "res.partner":
                for group in groups:
                    partners.update(_partner_ids_of(field, group.get(spec)))
            elif field.type == "selection" and isinstance(field.selection, (list, tuple)):
                # a fixed list written in the code (an activity's state, a stage's kind): its values
                # are no client's detail; looking up the records behind them read every grouped
                # record's partners (the pipeline's progress bar: every opportunity's client)
                continue
            elif field.type in ("char", "text", "html", "selection"):
                values = [group.get(spec) for group in groups if isinstance(group.get(spec), str)]
                if values:
                    with door_lookup():  # the door's own question, not the caller's
                        records = self.with_context(active_test=False).search(
                            [*(domain or []), (fname, "in", values)])
                    partners |= records._client_guard_linked_partners()
        return self.env["res.partner"]._client_guard_scrub(groups, partners)

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if self and self._client_guard_door_applies():
            result = self.env["res.partner"]._client_guard_scrub(result, self._client_guard_linked_partners())
        return result


DOOR_POSTS = {
    "onchange": "_client_guard_door_onchange",
    "default_get": "_client_guard_door_default_get",
    "read_group": "_client_guard_door_read_group",
    "name_search": "_client_guard_door_name_search",
}


def _door_override(cls, name, post):
    method = getattr(cls, name)

    def door(self, *args, **kwargs):
        result = getattr(super(cls, self), name)(*args, **kwargs)
        # once, on the model's own class (not again on the classes it inherits)
        if type(self) is cls and result and self._client_guard_door_applies():
            result = getattr(self, post)(result, args, kwargs)
        return result

    door.__dict__.update(getattr(method, "__dict__", {}))  # @api.model, @api.readonly
    door.__name__ = name
    door.__doc__ = method.__doc__
    door._client_guard_door = True
    return door


_state = threading.local()


def _in_web_read():
    return getattr(_state, "web_read", None) is not None


def _web_read_scope():
    """The outermost web_read running in this thread: ``{"uid": the user
    the door applies to or None, "partners": ids its linked records add,
    "history": bool}``, or None."""
    return getattr(_state, "web_read", None)


def readable_memo(env, ids=(), model="res.partner"):
    """The records of ``model`` (partners by default) the user of ``env``
    was found to read during the current ``door_memo`` (their record rules
    checked while reading: neither the door at its end nor a later read in
    the same call need ask again), with ``ids`` added; None outside one."""
    memo = door_access_memo()
    if memo is None:
        return None
    known = memo.setdefault((env.uid, tuple(env.context.get("allowed_company_ids") or ())), {})
    readable = known.setdefault(("readable", model), set())
    readable.update(ids)
    return readable


def read_checked_in_call(records, operation):
    """Whether the current user's ``operation`` on ``records`` needs no
    check of their record rules: a read of records that the same user's
    search or fetch returned under those rules, in SQL, earlier in the call
    being answered (``readable_memo``), their model's access rights granted."""
    if operation != "read" or records.env.su or not records._ids:
        return False
    memo = readable_memo(records.env, model=records._name)
    return memo is not None and memo.issuperset(records._ids) and records.env["ir.model.access"].check(
        records._name, operation, raise_exception=False)


def door_access_memo():
    """The door's answers (``res.partner._client_guard_detail_access``)
    kept for the duration of one read for a caller (``door_memo``), keyed
    by user and allowed companies; None outside one."""
    return getattr(_state, "memo", None)


@contextmanager
def door_memo():
    """While values are read for a caller (the outermost web_read, the
    messages of a thread put in the web client's store), the door keeps its
    answers: a partner's access is asked for its image while reading, then
    for the values at the end, for each message's tracked changes...
    Nothing is written meanwhile; a nested read shares the outer memo."""
    previous = getattr(_state, "memo", None)
    _state.memo = {} if previous is None else previous
    try:
        yield
    finally:
        _state.memo = previous


def in_door_lookup():
    return getattr(_state, "door_lookup", 0) > 0


@contextmanager
def door_lookup():
    """The door searches by a detail to find whose it is (the records behind
    a group of ``read_group``): the rule on searches by a detail
    (``res.partner._client_guard_search_restricted``) is for the caller's
    domains, not for this one (a flag of the thread, which no caller can set)."""
    _state.door_lookup = getattr(_state, "door_lookup", 0) + 1
    try:
        yield
    finally:
        _state.door_lookup -= 1


def _in_batch(records):
    """Whether ``records`` are being read for a whole batch that passes
    through the door at its end (``batch_door``)."""
    batched = getattr(_state, "batch", None)
    return bool(batched and records._ids and all(rid in batched.get(records._name, ()) for rid in records._ids))


@contextmanager
def batch_door(records):
    """Values of ``records`` are being collected for the caller and will pass
    through the door all together once collected (the messages of a thread
    put in the web client's store): their reads one record at a time skip
    the door meanwhile, so that it looks up the partners' details once for
    the batch instead of once per record. Only these records, only in this
    thread (a flag of the thread, which no caller can set); the code that
    opens it must pass everything collected through the door."""
    batched = getattr(_state, "batch", None)
    if batched is None:
        batched = _state.batch = {}
    ids = batched.setdefault(records._name, {})  # {id: depth}: batches may nest (a reply's parent)
    for rid in records._ids:
        ids[rid] = ids.get(rid, 0) + 1
    try:
        yield
    finally:
        for rid in records._ids:
            ids[rid] -= 1
            if not ids[rid]:
                del ids[rid]


@contextmanager
def _web_read(uid):
    """web_read reads through read() and then adds the values of linked
    records (their own web_read): the outermost web_read passes its
    complete result through the door once (state of the thread, not of the
    caller's context). ``uid``: the user the door applies to (None: it
    does not, e.g. sudo; then the linked records' web_read pass it on their own)."""
    previous = getattr(_state, "web_read", None)
    _state.web_read = scope = {"uid": uid, "partners": set(), "history": False}
    try:
        with door_memo():
            yield scope
    finally:
        _state.web_read = previous
