import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .client_guard_intake import COMPLETED_FIELDS

# what the person running an intake may change on a row: the choice, nothing else
USER_FIELDS = {"action"}


class ClientGuardIntakeLine(models.Model):
    _name = "client_guard.intake.line"
    _description = "Row of a Client Intake"
    _order = "intake_id, row"
    _rec_name = "name"

    intake_id = fields.Many2one("client_guard.intake", required=True, index=True, ondelete="cascade", readonly=True)
    owner_id = fields.Many2one(related="intake_id.owner_id", string="Whose List")
    row = fields.Integer(
        readonly=True, help="Row number in the file (the header is row 1, empty rows are not counted).")
    name = fields.Char(string="Client", readonly=True)
    contact_name = fields.Char(string="Contact Person", readonly=True)
    phone = fields.Char(readonly=True)
    mobile = fields.Char(readonly=True)
    email = fields.Char(string="E-mail", readonly=True)
    vat = fields.Char(string="Tax ID", readonly=True)
    city = fields.Char(readonly=True)
    phone_e164 = fields.Char(string="Phone (E.164)", readonly=True)
    mobile_e164 = fields.Char(string="Mobile (E.164)", readonly=True)
    email_normalized = fields.Char(string="Normalized E-mail", readonly=True)
    vat_key = fields.Char(string="Normalized Tax ID", readonly=True)
    name_key = fields.Char(string="Normalized Name", readonly=True)
    state = fields.Selection(
        [
            ("new", "New client"),
            ("match", "Already in the base"),
            ("duplicate_in_file", "Repeats another row"),
            ("conflict", "Conflict for the head"),
            ("error", "Error"),
        ],
        required=True, default="new", readonly=True, index=True,
    )
    action = fields.Selection(
        [
            ("create", "Create the client"),
            ("skip", "Skip"),
            ("complete", "Add the missing data"),
            ("conflict", "Flag a conflict for the head"),
        ],
        string="What to Do", required=True, default="create",
    )
    message = fields.Char(string="Error", readonly=True)
    duplicate_row = fields.Integer(string="Same as Row", readonly=True)
    match_reason = fields.Selection(
        [("vat", "Tax ID"), ("email", "E-mail"), ("phone", "Phone"), ("name", "Company name")],
        string="Matched By", readonly=True,
    )
    # the matched client is kept for the import; people see it only through match_display
    partner_id = fields.Many2one("res.partner", string="Matched Client", readonly=True, index="btree_not_null",
                                 groups="base.group_system")
    match_user_id = fields.Many2one("res.users", string="Current Curator", readonly=True)
    match_private = fields.Boolean(string="Private Client", readonly=True)
    match_display = fields.Char(string="In the Base", compute="_compute_match_display")
    result = fields.Selection(
        [
            ("created", "Client created"),
            ("completed", "Missing data added"),
            ("unchanged", "Nothing to add"),
            ("skipped", "Skipped"),
            ("conflict", "Conflict for the head"),
            ("given", "Given to the list's owner"),
            ("kept", "Kept by its curator"),
        ],
        readonly=True,
    )
    result_partner_id = fields.Many2one("res.partner", string="Created Client", readonly=True,
                                        index="btree_not_null", ondelete="set null")
    result_contact_id = fields.Many2one("res.partner", string="Added Contact", readonly=True, ondelete="set null")
    added_values = fields.Text(string="Added Data", readonly=True, help="Technical: what the import added (JSON).")
    conflict_decision = fields.Selection(
        [("pending", "To decide"), ("given", "Given to the list's owner"), ("kept", "Kept by its curator")],
        readonly=True, index="btree_not_null",
    )
    previous_user_id = fields.Many2one("res.users", string="Curator Before", readonly=True)
    previous_team_id = fields.Many2one("crm.team", string="Department Before", readonly=True)

    @api.depends("partner_id", "state", "match_private", "match_user_id")
    @api.depends_context("uid")
    def _compute_match_display(self):
        Partner = self.env["res.partner"]
        for line in self:
            partner_id = line.sudo().partner_id.id
            if not partner_id:
                line.match_display = False
                continue
            partner = Partner.browse(partner_id)
            if line.match_private and not partner.has_access("read"):
                line.match_display = _("A client already in the base (private)")
            elif partner.has_access("read"):
                line.match_display = _(
                    "%(client)s, curator: %(curator)s",
                    client=partner.display_name, curator=line.match_user_id.name or _("none"))
            else:
                line.match_display = _(
                    "A client of %(curator)s (another department)", curator=line.match_user_id.name or _("nobody"))

    def write(self, vals):
        if not self.env.su:
            self.env["client_guard.intake"]._check_manager()
            if set(vals) - USER_FIELDS:
                raise UserError(_("Only the choice of what to do with a row can be changed."))
            if any(line.intake_id.state != "preview" for line in self):
                raise UserError(_("The rows of an imported list cannot be changed."))
            allowed = {"new": {"create", "skip"}, "match": {"skip", "complete", "conflict"}}
            for line in self:
                if vals["action"] not in allowed.get(line.state, {"skip"}):
                    raise UserError(_("Row %(row)s: this choice does not apply to its state.", row=line.row))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------
    def _prepare_partner(self, intake):
        self.ensure_one()
        return {
            "name": self.name,
            "is_company": True,
            "phone": self.phone or False,
            "mobile": self.mobile or False,
            "email": self.email or False,
            "vat": self.vat or False,
            "city": self.city or False,
            "user_id": intake.owner_id.id,
            "team_id": intake.team_id.id,
            "company_id": False,
        }

    def _complete_partners(self):
        """Add the rows' data their clients lack; never overwrite (append-only).
        Set-based: one write per distinct set of added values, one create for
        all the new contacts, one UPDATE of the rows."""
        partners = self.partner_id.with_context(active_test=False)
        partners.fetch(list(COMPLETED_FIELDS))
        children = {}
        for child in self.env["res.partner"].with_context(active_test=False).search_read(
                [("parent_id", "in", partners.ids)], ["parent_id", "name"]):
            children.setdefault(child["parent_id"][0], set()).add((child["name"] or "").casefold())
        writes, contacts, results, filled = {}, [], [], {}
        for line in self:
            partner = line.partner_id
            # two rows may find the same client: the first one fills a field, never both
            taken = filled.setdefault(partner.id, set())
            added = {fname: line[fname] for fname in COMPLETED_FIELDS
                     if line[fname] and not partner[fname] and fname not in taken}
            taken.update(added)
            if added:
                writes.setdefault(tuple(sorted(added.items())), []).append(partner.id)
            contact = line.contact_name and line.contact_name.casefold() not in children.setdefault(partner.id, set())
            if contact:
                children[partner.id].add(line.contact_name.casefold())
                contacts.append((line, {"name": line.contact_name, "parent_id": partner.id}))
            results.append((line.id, "completed" if added or contact else "unchanged", json.dumps(added)))
        Partner = self.env["res.partner"].with_context(active_test=False)
        for items, partner_ids in writes.items():
            Partner.browse(partner_ids).write(dict(items))
        created = Partner._intake_create_contacts([vals for _line, vals in contacts])
        contact_by_line = {line.id: contact.id for (line, _vals), contact in zip(contacts, created, strict=True)}
        self.env.cr.execute(
            """
            UPDATE client_guard_intake_line l
               SET result = d.result, added_values = d.added, result_contact_id = NULLIF(d.contact_id, 0)
              FROM unnest(%s::int[], %s::varchar[], %s::text[], %s::int[]) AS d(line_id, result, added, contact_id)
             WHERE l.id = d.line_id
            """,
            ([r[0] for r in results], [r[1] for r in results], [r[2] for r in results],
             [contact_by_line.get(r[0], 0) for r in results]))
        self.invalidate_recordset(["result", "added_values", "result_contact_id"])

    def _undo_on_partner(self, limit):
        """Undo what this row did to an existing client; False when the client
        changed since (then nothing is touched)."""
        self.ensure_one()
        partner = self.partner_id.with_context(active_test=False).exists()
        if not partner:
            return False
        if self.result == "given":
            if partner.user_id != self.owner_id:
                return False
            partner.write({"user_id": self.previous_user_id.id, "team_id": self.previous_team_id.id})
            return True
        added = json.loads(self.added_values or "{}")
        if any(partner[fname] != value for fname, value in added.items()):
            return False
        contact = self.result_contact_id.exists()
        if contact and contact.write_date and contact.write_date > limit:
            return False
        if added:
            partner.write(dict.fromkeys(added, False))
        contact.unlink()
        return True

    # ------------------------------------------------------------------
    # Conflicts: the head decides
    # ------------------------------------------------------------------
    def _check_pending(self):
        self.env["client_guard.intake"]._check_manager()
        if any(line.conflict_decision != "pending" for line in self):
            raise UserError(_("Only conflicts still to decide can be decided."))

    def action_give_to_owner(self):
        """The client goes to the manager whose list it was."""
        self._check_pending()
        for line in self.sudo():
            partner = line.partner_id
            line.write({"previous_user_id": partner.user_id.id, "previous_team_id": partner.team_id.id,
                        "conflict_decision": "given", "result": "given"})
            partner.write({"user_id": line.intake_id.owner_id.id, "team_id": line.intake_id.team_id.id})
        self.sudo().intake_id._close_conflict_activity()
        return True

    def action_keep_curator(self):
        """The client stays with its curator."""
        self._check_pending()
        self.sudo().write({"conflict_decision": "kept", "result": "kept"})
        self.sudo().intake_id._close_conflict_activity()
        return True
