# pylint: disable=consider-merging-classes-inherited
# (kept apart from the main class of the model: record rules turned into SQL)
from odoo import models
from odoo.osv import expression

RELATIONAL = ("many2one", "one2many", "many2many")
HIERARCHY = ("child_of", "parent_of")


class Base(models.AbstractModel):
    _inherit = "base"

    def _apply_ir_rules(self, query, mode="read"):
        """Odoo turns the record rules of a model into SQL at every search of
        it: a client card searches partners four times (the card, its
        contacts, the meetings and the opportunities of the client and its
        contacts), each time parsing the same rules. The SQL of the rules is
        kept for the cursor (a request), keyed by what it is a function of:
        the model, the rules' domain for the user (its values included), the
        context and, for a hierarchy (``company_id parent_of ...``), the
        ``parent_path`` of the records it names, read as Odoo's parse reads
        them (so the same queries run, in the same order). A domain whose
        SQL may depend on data in any other way (a non-stored field's search
        method, names instead of ids, a hierarchy without ``parent_path``)
        or that adds a join to the query is parsed by Odoo every time."""
        if self.env.su:
            return super()._apply_ir_rules(query, mode)
        domain = self.env["ir.rule"]._compute_domain(self._name, mode)
        if not domain:
            return None
        model = self.sudo()
        fingerprint = []
        if not _cacheable(model, domain, fingerprint):
            return super()._apply_ir_rules(query, mode)
        key = ("client_guard_rule_sql", self._name, mode, self.env.uid, repr(domain),
               repr(sorted(self.env.context.items(), key=lambda item: str(item[0]))), tuple(fingerprint))
        cache = self.env.cr.cache
        where = cache.get(key)
        if where is not None:
            query.add_where(where)
            return None
        joins = len(query._joins)
        parsed = expression.expression(domain, model, self._table, query)
        if len(query._joins) == joins:
            cache[key] = parsed.result
        return None


def _cacheable(model, domain, fingerprint):
    """Whether the SQL of ``domain`` on ``model`` is a function of the domain
    alone (and of the hierarchies it names, whose ``parent_path`` is added to
    ``fingerprint`` as Odoo's parse reads it)."""
    for leaf in domain:
        if not isinstance(leaf, (tuple, list)):
            continue  # '&', '|', '!'
        if tuple(leaf) in (expression.TRUE_LEAF, expression.FALSE_LEAF):
            continue
        if len(leaf) != 3 or not isinstance(leaf[0], str):
            return False
        left, operator, right = leaf
        name, _dot, rest = left.partition(".")
        field = model._fields.get(name)
        if field is None or not (field.store or name == "id"):
            return False
        if rest:  # a path: Odoo makes it ``name any [(rest, operator, right)]``
            if field.type not in RELATIONAL:
                return False
            left, operator, right = name, "any", [(rest, operator, right)]
        if operator in HIERARCHY:
            comodel = model if name == "id" else (model.env[field.comodel_name] if field.comodel_name else None)
            ids = right if isinstance(right, (list, tuple)) else [right]
            if rest or comodel is None or not comodel._parent_store or not all(
                    isinstance(rid, int) and not isinstance(rid, bool) for rid in ids if rid):
                return False
            records = comodel.sudo().with_context(active_test=False).browse([rid for rid in ids if rid])
            fingerprint.append((comodel._name, tuple(record.parent_path for record in records)))
            continue
        if operator in ("any", "not any"):
            if field.type not in RELATIONAL or field.auto_join or not isinstance(right, (list, tuple)):
                return False
            if not _cacheable(model.env[field.comodel_name], right, fingerprint):
                return False
            continue
        if field.type in RELATIONAL or name == "id":
            # ids only: a name would be searched (name_search) when parsed
            values = right if isinstance(right, (list, tuple)) else [right]
            if not all(value is None or isinstance(value, (int, bool)) for value in values):
                return False
    return True
