from collections import defaultdict

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

# snapshot columns copied as they are onto a re-created partner
TEXT_COLUMNS = ("name", "function", "email", "phone", "mobile", "street", "street2", "zip", "city")
ADDRESS_COLUMNS = ("street", "street2", "zip", "city", "country_id")
PARTNER_TYPES = ("contact", "invoice", "delivery", "other")


class ClientGuardSnapshotRestore(models.TransientModel):
    _name = "client_guard.snapshot.restore"
    _description = "Restore Deleted Clients from a Snapshot"

    snapshot_id = fields.Many2one(
        "client_guard.snapshot", required=True, ondelete="cascade",
        domain="[('state', '=', 'done')]", default=lambda self: self._default_snapshot(),
    )
    line_ids = fields.One2many(
        "client_guard.snapshot.restore.line", "wizard_id", string="Deleted Partners",
        compute="_compute_line_ids", store=True, readonly=False,
        help="Partners of the snapshot that no longer exist in the database, not even archived.",
    )
    deleted_count = fields.Integer(string="Deleted since the snapshot", compute="_compute_counts")
    selected_count = fields.Integer(string="To restore", compute="_compute_counts")

    @api.model
    def _default_snapshot(self):
        """The snapshot the wizard was opened from, else the latest one."""
        return self.env["client_guard.snapshot"].search([("state", "=", "done")], limit=1)

    @api.depends("snapshot_id")
    def _compute_line_ids(self):
        for wizard in self:
            commands = [Command.clear()]
            if wizard.snapshot_id:
                wizard.snapshot_id._check_snapshot_rights(_("restore clients from a snapshot"))
                rows = wizard.snapshot_id._restore_deleted_rows()
                existing_parents = self._current_ids({self._int(row["parent_id"]) for row in rows.values()})
                commands += [
                    Command.create({
                        "former_id": former_id,
                        "name": row["name"],
                        "is_company": row["is_company"] == "1",
                        "former_parent_id": self._int(row["parent_id"]),
                        "parent_name": row["parent_name"],
                        "parent_exists": self._int(row["parent_id"]) in existing_parents,
                        "curator_name": row["curator_name"],
                        "team_name": row["team_name"],
                        "email": row["email"],
                        "phone": row["phone"] or row["mobile"],
                    })
                    for former_id, row in rows.items()
                ]
            wizard.line_ids = commands

    @api.depends("line_ids", "line_ids.selected")
    def _compute_counts(self):
        for wizard in self:
            wizard.deleted_count = len(wizard.line_ids)
            wizard.selected_count = len(wizard.line_ids.filtered("selected"))

    @api.model_create_multi
    def create(self, vals_list):
        self.env["client_guard.snapshot"]._check_snapshot_rights(_("restore clients from a snapshot"))
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @staticmethod
    def _int(value):
        return int(value) if value not in (None, "") else 0

    @api.model
    def _current_ids(self, ids):
        """``{former id: current id}`` for the partners among ``ids`` that still
        exist (archived or not) or were re-created from a snapshot since."""
        ids = [i for i in ids if i]
        if not ids:
            return {}
        self.env["res.partner"].flush_model(["client_guard_restored_from_id"])
        self.env.cr.execute(
            """
            SELECT id, id FROM res_partner WHERE id = ANY(%(ids)s)
             UNION ALL
            SELECT client_guard_restored_from_id, min(id) FROM res_partner
             WHERE client_guard_restored_from_id = ANY(%(ids)s)
          GROUP BY client_guard_restored_from_id
            """,
            {"ids": ids},
        )
        return dict(self.env.cr.fetchall())

    def _partner_values(self, row, parent_id, parent_has_address, users, teams, countries):
        values = {
            key: row[key] or False for key in TEXT_COLUMNS
        }
        values.update({
            "is_company": row["is_company"] == "1",
            "type": row["type"] if row["type"] in PARTNER_TYPES else "contact",
            "country_id": countries.get(row["country_code"], False),
            "registration_date": row["registration_date"] or False,
            "active": row["active"] == "1",
        })
        if parent_id:
            # curator, department, private flag and tax ID follow the company
            values["parent_id"] = parent_id
            if not parent_has_address:
                # Odoo would copy the first contact's address onto an
                # address-less company: never change an existing partner
                for key in ADDRESS_COLUMNS:
                    values.pop(key, None)
        else:
            curator_id, team_id = self._int(row["curator_id"]), self._int(row["team_id"])
            values.update({
                "user_id": curator_id if curator_id in users else False,
                "team_id": team_id if team_id in teams else False,
                "is_private": row["is_private"] == "1",
                "vat": row["vat"] or False,
            })
        return values

    def _reattach_surviving_contacts(self, snapshot, created, restored):
        """Contacts that outlived their deleted company (Odoo leaves them without
        a company) go back under the company re-created from ``snapshot``
        (``created``: {former id: new id}), unless they were given another
        company since. Returns how many were attached."""
        children = defaultdict(list)  # new company id -> former contact ids
        for row in snapshot._read_csv_rows():
            former_parent = self._int(row["parent_id"])
            if former_parent in created and int(row["id"]) not in restored:
                children[created[former_parent]].append(int(row["id"]))
        if not children:
            return 0
        self.env["res.partner"].flush_model(["parent_id"])
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE id = ANY(%s) AND parent_id IS NULL AND NOT is_company",
            [[cid for ids in children.values() for cid in ids]],
        )
        orphans = {row[0] for row in self.env.cr.fetchall()}
        Partner = self.env["res.partner"].sudo().with_context(active_test=False, tracking_disable=True)
        count = 0
        for company_id, contact_ids in children.items():
            contacts = Partner.browse([cid for cid in contact_ids if cid in orphans])
            if contacts:
                contacts.write({"parent_id": company_id})
                count += len(contacts)
        return count

    # ------------------------------------------------------------------
    # Action
    # ------------------------------------------------------------------
    def action_restore(self):
        """Re-create the selected deleted partners: companies first, then
        their contacts under the re-created or still existing company. Existing
        partners are never written to."""
        self.ensure_one()
        snapshot = self.snapshot_id
        snapshot._check_snapshot_rights(_("restore clients from a snapshot"))
        selected = set(self.line_ids.filtered("selected").mapped("former_id"))
        if not selected:
            raise UserError(_("Select at least one deleted partner to restore."))
        # read again: something may have been restored since the preview
        rows = snapshot.sudo()._restore_deleted_rows()
        todo = {former_id: rows[former_id] for former_id in selected if former_id in rows}
        if not todo:
            raise UserError(_("The selected partners exist again: nothing to restore."))
        # a contact whose company was deleted too brings the company along
        pending = list(todo)
        while pending:
            parent = self._int(todo[pending.pop()]["parent_id"])
            if parent in rows and parent not in todo:
                todo[parent] = rows[parent]
                pending.append(parent)
        parents = {self._int(row["parent_id"]) for row in todo.values()} - set(todo)
        parent_map = self._current_ids(parents)
        existing_parents = self.env["res.partner"].sudo().with_context(active_test=False).browse(
            set(parent_map.values()))
        has_address = {parent.id: any(parent[key] for key in ADDRESS_COLUMNS) for parent in existing_parents}
        parent_address = {former: has_address[current] for former, current in parent_map.items()}
        users = set(self.env["res.users"].sudo().with_context(active_test=False).browse(
            {self._int(row["curator_id"]) for row in todo.values()} - {0}).exists().ids)
        teams = set(self.env["crm.team"].sudo().with_context(active_test=False).browse(
            {self._int(row["team_id"]) for row in todo.values()} - {0}).exists().ids)
        countries = {
            country.code: country.id
            for country in self.env["res.country"].sudo().search([
                ("code", "in", list({row["country_code"] for row in todo.values() if row["country_code"]}))])
        }
        Partner = self.env["res.partner"].sudo().with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True)
        created = {}  # former id -> new partner id
        remaining = dict(todo)
        while remaining:
            # one layer at a time: partners whose company is not waiting to be re-created
            layer = [former_id for former_id, row in remaining.items()
                     if self._int(row["parent_id"]) not in remaining]
            if not layer:  # a cycle cannot come from res.partner; guard anyway
                layer = list(remaining)
            vals_list = []
            for former_id in layer:
                row = remaining.pop(former_id)
                former_parent = self._int(row["parent_id"])
                parent_id = created.get(former_parent) or parent_map.get(former_parent, 0)
                values = self._partner_values(
                    row, parent_id, parent_address.get(former_parent, True), users, teams, countries)
                values["client_guard_restored_from_id"] = former_id
                vals_list.append(values)
            partners = Partner.create(vals_list)
            created.update(zip(layer, partners.ids, strict=True))
        reattached = self._reattach_surviving_contacts(snapshot, created, set(todo))
        bodies = {
            new_id: Markup("<p>%s</p>") % self.env._(
                "Restored from client base snapshot %(snapshot)s (former ID %(former_id)s) by %(user)s.",
                snapshot=snapshot.name, former_id=former_id, user=self.env.user.name,
            )
            for former_id, new_id in created.items()
        }
        Partner._client_guard_log_notes(bodies, author=self.env.user.partner_id)
        added = len(created) - len(selected & set(created))
        message = _("%(count)s partners re-created from snapshot %(snapshot)s.",
                    count=len(created), snapshot=snapshot.name)
        if added:
            message += " " + _("%s deleted companies of selected contacts were re-created with them.", added)
        if reattached:
            message += " " + _("%s surviving contacts were attached again to their re-created company.", reattached)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Clients restored"),
                "message": message,
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
