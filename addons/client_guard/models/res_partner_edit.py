"""What a user under Client Guard may write on a client: the fields a person
edits on the client form, nothing else (a whitelist), and imports of several
clients only with the mass operations right."""

from lxml import etree

from odoo import _, api, models, tools
from odoo.exceptions import UserError
from odoo.models import fix_import_export_id_paths

from ..server_flags import server_flag, server_flags

# Fields a person changes on the client form through its buttons and actions
# rather than through a field of the form (Archive / Unarchive).
FORM_ACTION_FIELDS = frozenset({"active"})
TRUE_VALUES = ("1", "true", "True")


class ResPartner(models.Model):
    """Kept apart from res_partner.py: the whitelist of editable fields and
    the import limit, outermost of the module's write and create checks."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # The whitelist
    # ------------------------------------------------------------------
    @api.model
    def _client_guard_editable_fields(self):
        """Names of the fields the current user edits on the partner's form
        views (every form view of ``res.partner`` with the fields added by
        other modules, as this user's groups get them), plus
        ``FORM_ACTION_FIELDS``. A field that the form shows read-only, or that
        is computed or related without an inverse, is not editable."""
        return self._client_guard_editable_fields_for(
            frozenset(self.env.user._get_group_ids()), self.env.company.id)

    @tools.ormcache("group_ids", "company_id", cache="templates")
    def _client_guard_editable_fields_for(self, group_ids, company_id):  # pylint: disable=unused-argument
        """The whitelist for users of these groups in this company (the
        company's address format shapes the form)."""
        editable = set(FORM_ACTION_FIELDS)
        views = self.env["ir.ui.view"].sudo().search(
            [("model", "=", self._name), ("type", "=", "form"), ("mode", "=", "primary")]
        )
        for view in views:
            arch = etree.fromstring(self.get_view(view.id, "form")["arch"])
            self._client_guard_form_fields(arch, self._name, editable)
        return frozenset(editable)

    @api.model
    def _client_guard_form_fields(self, node, model_name, editable):
        """Add to ``editable`` the editable ``res.partner`` fields under ``node``
        of a view of ``model_name`` (sub-views of contacts included)."""
        model_fields = self.env[model_name]._fields
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag != "field":
                self._client_guard_form_fields(child, model_name, editable)
                continue
            field = model_fields.get(child.get("name"))
            if field is None:
                continue
            if model_name == self._name and self._client_guard_field_editable(field, child):
                editable.add(field.name)
            if field.relational:
                self._client_guard_form_fields(child, field.comodel_name, editable)

    @api.model
    def _client_guard_field_editable(self, field, node):
        if not (field.store or field.inverse):
            return False
        readonly = node.get("readonly")
        force_save = node.get("force_save") in TRUE_VALUES
        if readonly in TRUE_VALUES and not force_save:
            return False
        return not field.readonly or force_save or readonly in ("0", "false", "False")

    def _client_guard_check_editable(self, fnames, creating=False):
        """Refuse a write or create of a protected user that sets fields
        outside the whitelist."""
        editable = self._client_guard_editable_fields()
        refused = sorted(
            fname for fname in fnames
            if fname in self._fields and fname not in editable
        )
        if not refused:
            return
        labels = ", ".join(f"“{self._fields[fname].string}” ({fname})" for fname in refused)
        if creating:
            message = _(
                "A new client gets only the fields of the client form. These cannot be set: %(fields)s.",
                fields=labels,
            )
        else:
            message = _(
                "Only the fields of the client form can be changed on a client. "
                "These cannot be changed: %(fields)s.",
                fields=labels,
            )
        self.env["client_guard.security.event"]._log_refusal(
            "write_refused", message, model=self._name, res_ids=self.ids
        )
        raise UserError(message)

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    def copy(self, default=None):
        """A copy takes the copied client's values from the server (copy_data):
        only the ``default`` values the caller sends are checked."""
        if self._client_guard_protected() and default:
            self._client_guard_check_editable(set(default), creating=True)
        with server_flags(client_guard_copying=True):
            return super().copy(default=default)

    @api.model_create_multi
    def create(self, vals_list):
        if self._client_guard_protected() and not server_flag("client_guard_copying"):
            # a default in the context replaces the computation of a computed
            # field like a value would (Odoo's own menus preset plain fields
            # such as customer_rank: those are left alone)
            defaults = {
                key[8:] for key in self.env.context
                if key.startswith("default_") and key[8:] in self._fields
                and (self._fields[key[8:]].compute or self._fields[key[8:]].related)
            }
            fnames = defaults.union(*(vals.keys() for vals in vals_list))
            self._client_guard_check_editable(fnames, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        if self._client_guard_protected() and self.filtered("is_client"):
            self._client_guard_check_editable(vals)
        return super().write(vals)

    def load(self, fields, data):
        """An import of several clients (created or updated) is a mass
        operation: it needs client_guard.group_mass_operations."""
        if (
            len(data) > 1
            and self._client_guard_protected()
            and not self.env.user.has_group("client_guard.group_mass_operations")
        ):
            count = self._client_guard_load_count(fields, data)
            if count > 1:
                group = self.env.ref("client_guard.group_mass_operations")
                message = _(
                    "You can import only one client at a time (%(count)s in the file).\n"
                    "Missing right: %(right)s.",
                    count=count,
                    right=group.name,
                )
                self.env["client_guard.security.event"]._log_refusal(
                    "write_refused", message, model=self._name
                )
                return {
                    "ids": False,
                    "messages": [{"type": "error", "message": message, "record": False}],
                    "nextrow": 0,
                }
        return super().load(fields, data)

    @api.model
    def _client_guard_load_count(self, fields, data):
        """Number of clients an import creates or updates: every record of the
        file but the existing partners that are not clients."""
        paths = [fix_import_export_id_paths(fname) for fname in fields]
        count = 0
        for record, _info in self._extract_records(paths, data):
            if ".id" in record or "id" in record:
                existing = self._client_guard_load_target(record)
                if existing and not existing.is_client:
                    continue
            count += 1
        return count

    @api.model
    def _client_guard_load_target(self, record):
        """The existing partner an import row updates, if any."""
        Partner = self.sudo().with_context(active_test=False)
        if record.get(".id"):
            try:
                return Partner.browse(int(record[".id"])).exists()
            except ValueError:
                return Partner
        if record.get("id"):
            xmlid = record["id"] if "." in record["id"] else f"__import__.{record['id']}"
            target = Partner.env.ref(xmlid, raise_if_not_found=False)
            return target if target and target._name == self._name else Partner
        return Partner
