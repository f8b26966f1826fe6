import itertools
from collections import defaultdict

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError

# open = not lost (archived) and not won (won stages set the probability to 100)
OPEN_LEAD_DOMAIN = [("active", "=", True), ("probability", "<", 100)]


class CuratorTransferWizard(models.TransientModel):
    _name = "curator.transfer.wizard"
    _description = "Transfer Clients to Another Curator"

    from_user_id = fields.Many2one(
        "res.users", string="From", help="The curator who hands over (e.g. a leaving employee)."
    )
    partner_ids = fields.Many2many(
        "res.partner", "curator_transfer_wizard_partner_rel", "wizard_id", "partner_id", string="Clients",
        domain="[('is_client', '=', True), ('parent_id', '=', False)]",
    )
    split_mode = fields.Selection(
        [
            ("single", "One successor"),
            ("even", "Spread evenly over several successors"),
            ("department", "One successor per department"),
        ],
        string="Split",
        required=True,
        default="single",
    )
    to_user_id = fields.Many2one("res.users", string="To", domain="[('share', '=', False)]")
    to_user_ids = fields.Many2many(
        "res.users", "curator_transfer_wizard_to_user_rel", "wizard_id", "user_id",
        string="Successors", domain="[('share', '=', False)]",
    )
    department_line_ids = fields.One2many(
        "curator.transfer.wizard.department", "wizard_id", string="Successor per Department"
    )
    team_id = fields.Many2one("crm.team", string="New Department",
                              help="Leave empty to keep each client in its department.")
    transfer_contacts = fields.Boolean(string="Contacts", default=True)
    transfer_opportunities = fields.Boolean(string="Open opportunities", default=True)
    transfer_activities = fields.Boolean(string="Open activities", default=True)
    reason = fields.Text()
    # preview
    preview_client_count = fields.Integer(string="Clients to move", compute="_compute_preview")
    preview_contact_count = fields.Integer(string="Contacts to move", compute="_compute_preview")
    preview_opportunity_count = fields.Integer(string="Opportunities to move", compute="_compute_preview")
    preview_activity_count = fields.Integer(string="Activities to move", compute="_compute_preview")
    preview_kept_opportunity_count = fields.Integer(string="Opportunities that stay", compute="_compute_preview")
    preview_kept_activity_count = fields.Integer(string="Activities that stay", compute="_compute_preview")
    preview_html = fields.Html(string="Preview", compute="_compute_preview", sanitize=False)
    hidden_private_note = fields.Char(
        compute="_compute_hidden_private_note",
        help="Private clients of the former curator that the current user cannot see nor transfer.")

    # ------------------------------------------------------------------
    # Defaults
    # ------------------------------------------------------------------
    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        Partner = self.env["res.partner"]
        if context.get("active_model") == "res.partner" and context.get("active_ids"):
            partners = Partner.browse(context["active_ids"]).commercial_partner_id.filtered("is_client")
            values["partner_ids"] = [(6, 0, partners.ids)]
            if len(partners.user_id) == 1:
                values.setdefault("from_user_id", partners.user_id.id)
        elif context.get("active_model") == "res.users" and context.get("active_id"):
            values.setdefault("from_user_id", context["active_id"])
        if values.get("from_user_id") and "partner_ids" not in values:
            values["partner_ids"] = [(6, 0, self._clients_of(values["from_user_id"]).ids)]
        return values

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("from_user_id") and "partner_ids" not in vals:
                vals["partner_ids"] = [(6, 0, self._clients_of(vals["from_user_id"]).ids)]
        return super().create(vals_list)

    @api.model
    def _clients_of(self, user_id):
        """Clients curated by ``user_id`` that the current manager may transfer:
        those they see (all with group_transfer_all_clients), private ones only
        when trusted (see curator.transfer._check_moves)."""
        Partner = self.env["res.partner"]
        if self.env.user.has_group("curator_transfer.group_transfer_all_clients"):
            Partner = Partner.sudo()
        clients = Partner.search(
            [("user_id", "=", user_id), ("is_client", "=", True), ("parent_id", "=", False)]
        ).sudo()
        return clients - self._private_refused(clients)

    @api.onchange("from_user_id")
    def _onchange_from_user_id(self):
        if self.from_user_id and not self.env.context.get("active_model") == "res.partner":
            self.partner_ids = self._clients_of(self.from_user_id.id)

    @api.onchange("split_mode", "partner_ids")
    def _onchange_split_mode(self):
        if self.split_mode == "department":
            counts = defaultdict(int)
            for partner in self.partner_ids.sudo():
                counts[partner.team_id.id] += 1
            existing = {line.team_id.id: line.user_id for line in self.department_line_ids}
            self.department_line_ids = [(5, 0, 0)] + [
                (0, 0, {"team_id": team_id, "user_id": existing.get(team_id, False), "client_count": count})
                for team_id, count in counts.items()
                if team_id
            ]

    # ------------------------------------------------------------------
    # What moves
    # ------------------------------------------------------------------
    def _clients(self):
        # _origin: in the form (onchange) the wizard's clients are new records
        # whose ids are NewIds, which the preview's queries would never match
        return self.sudo().partner_ids._origin.filtered(lambda p: p.is_client and not p.parent_id)

    def _private_refused(self, clients):
        """Private clients the current user may not transfer."""
        user = self.env.user
        targets = self._targets_for_check() if self else self.env["res.users"]
        return clients.filtered(
            lambda p: p.is_private
            and user != p.user_id
            and user not in p.trusted_user_ids
            and not (targets and targets <= p.trusted_user_ids)
        )

    def _targets_for_check(self):
        if self.split_mode == "single":
            return self.to_user_id
        if self.split_mode == "even":
            return self.to_user_ids
        return self.department_line_ids.user_id

    def _assignment(self, clients):
        """{client id: (user id, team id)} for the chosen successors."""
        team = self.team_id
        if self.split_mode == "single":
            return {c.id: (self.to_user_id.id, (team or c.team_id).id) for c in clients}
        if self.split_mode == "even":
            users = itertools.cycle(self.to_user_ids.sorted("id").ids)
            return {c.id: (next(users), (team or c.team_id).id) for c in clients.sorted("id")}
        by_team = {line.team_id.id: line.user_id.id for line in self.department_line_ids if line.user_id}
        return {c.id: (by_team.get(c.team_id.id), (team or c.team_id).id) for c in clients}

    @api.model
    def _rows(self, model, domain, columns, active_test=True):
        """(id, *columns) tuples of the records matching ``domain``, read in one
        query: a transfer looks at tens of thousands of activities, and field
        access through records would cost more than the transfer itself."""
        Model = self.env[model].sudo().with_context(active_test=active_test)
        query = Model._search(domain)
        table = Model._table
        self.env.cr.execute(query.select(*(f'"{table}"."{c}"' for c in ("id", *columns))))
        return self.env.cr.fetchall()

    def _collect(self):
        """Everything the transfer would move, computed as superuser (the
        controlled path), in a handful of queries whatever the count."""
        env = self.env(su=True)
        clients = self._clients()
        assignment = self._assignment(clients)
        old_curator = {c.id: c.user_id.id for c in clients}
        partner_owner = {client.id: client.id for client in clients}
        contact_rows = self._rows(
            "res.partner", [("commercial_partner_id", "in", clients.ids), ("id", "not in", clients.ids)],
            ("commercial_partner_id", "user_id", "team_id"), active_test=False) if self.transfer_contacts else []
        for contact_id, owner_id, _user_id, _team_id in contact_rows:
            partner_owner[contact_id] = owner_id
        all_partner_ids = list(partner_owner)
        lead_rows, kept_lead_ids = [], []
        if self.transfer_opportunities:
            candidates = self._rows(
                "crm.lead", [("partner_id", "in", all_partner_ids), *OPEN_LEAD_DOMAIN], ("partner_id", "user_id"))
            lead_rows = [(lead_id, partner_owner[partner_id], user_id)
                         for lead_id, partner_id, user_id in candidates
                         if user_id == old_curator.get(partner_owner.get(partner_id))]
            moved = {row[0] for row in lead_rows}
            kept_lead_ids = [row[0] for row in candidates if row[0] not in moved]
        activity_rows, kept_activity_ids = [], []
        if self.transfer_activities:
            domain = ["&", ("res_model", "=", "res.partner"), ("res_id", "in", all_partner_ids)]
            lead_owner = {lead_id: owner for lead_id, owner, _user in lead_rows}
            if lead_owner:
                domain = ["|", "&", ("res_model", "=", "crm.lead"), ("res_id", "in", list(lead_owner)), *domain]
            candidates = self._rows("mail.activity", domain, ("res_model", "res_id", "user_id"))
            for activity_id, res_model, res_id, user_id in candidates:
                owner = partner_owner.get(res_id) if res_model == "res.partner" else lead_owner.get(res_id)
                if user_id == old_curator.get(owner):
                    activity_rows.append((activity_id, owner, user_id))
                else:
                    kept_activity_ids.append(activity_id)
        return {
            "clients": clients,
            "contacts": env["res.partner"].browse([row[0] for row in contact_rows]),
            "contact_rows": contact_rows,
            "leads": env["crm.lead"].browse([row[0] for row in lead_rows]),
            "lead_rows": lead_rows,
            "kept_leads": env["crm.lead"].browse(kept_lead_ids),
            "activities": env["mail.activity"].browse([row[0] for row in activity_rows]),
            "activity_rows": activity_rows,
            "kept_activities": env["mail.activity"].browse(kept_activity_ids),
            "assignment": assignment,
        }

    @api.depends("partner_ids", "split_mode", "to_user_id", "to_user_ids", "department_line_ids.user_id",
                 "team_id", "transfer_contacts", "transfer_opportunities", "transfer_activities")
    def _compute_preview(self):
        for wizard in self:
            data = wizard._collect()
            wizard.preview_client_count = len(data["clients"])
            wizard.preview_contact_count = len(data["contacts"])
            wizard.preview_opportunity_count = len(data["leads"])
            wizard.preview_activity_count = len(data["activities"])
            wizard.preview_kept_opportunity_count = len(data["kept_leads"])
            wizard.preview_kept_activity_count = len(data["kept_activities"])
            per_user = defaultdict(int)
            for user_id, _team_id in data["assignment"].values():
                per_user[user_id] += 1
            users = self.env["res.users"].sudo().browse([u for u in per_user if u])
            rows = "".join(
                f"<tr><td>{escape(user.name)}</td><td>{per_user[user.id]}</td></tr>" for user in users
            )
            if per_user.get(None) or per_user.get(False):
                rows += "<tr><td>{}</td><td>{}</td></tr>".format(
                    escape(_("No successor chosen")), per_user.get(None, 0) + per_user.get(False, 0))
            wizard.preview_html = Markup(
                "<table class='table table-sm'><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>"
            ).format(_("Successor"), _("Clients"), Markup(rows))

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    def _check(self, data):
        self.env["curator.transfer"]._check_manager()
        clients = data["clients"]
        if not clients:
            raise UserError(_("Select at least one client to transfer."))
        targets = self._targets_for_check()
        if self.split_mode == "single" and not self.to_user_id:
            raise UserError(_("Choose the successor."))
        if self.split_mode == "even" and not self.to_user_ids:
            raise UserError(_("Choose the successors."))
        missing = [cid for cid, (uid, _tid) in data["assignment"].items() if not uid]
        if missing:
            raise UserError(_("%s clients have no successor: choose one for each of their departments.",
                              len(missing)))
        sources = clients.user_id | self.from_user_id
        same = targets & sources
        if self.split_mode == "single" and same:
            raise UserError(_("The successor must be someone else than the current curator (%s).", same[0].name))
        self.env["curator.transfer"]._check_moves(clients, data["assignment"])

    # ------------------------------------------------------------------
    # The work
    # ------------------------------------------------------------------
    def action_transfer(self):
        self.ensure_one()
        data = self._collect()
        self._check(data)
        Transfer = self.env["curator.transfer"].sudo()
        assignment = data["assignment"]
        sources = data["clients"].user_id | self.from_user_id  # before the clients change hands
        client_changes = defaultdict(list)
        team_changes = defaultdict(list)
        for client in data["clients"]:
            user_id, team_id = assignment[client.id]
            if client.user_id.id != user_id:
                client_changes[("user_id", client.user_id.id, user_id)].append(client.id)
            if client.team_id.id != team_id:
                team_changes[("team_id", client.team_id.id, team_id)].append(client.id)
        contact_changes = defaultdict(list)
        contact_team_changes = defaultdict(list)
        for contact_id, owner_id, old_user_id, old_team_id in data["contact_rows"]:
            user_id, team_id = assignment[owner_id]
            if old_user_id != user_id:
                contact_changes[("user_id", old_user_id, user_id)].append(contact_id)
            if old_team_id != team_id:
                contact_team_changes[("team_id", old_team_id, team_id)].append(contact_id)
        lead_changes = defaultdict(list)
        for lead_id, owner_id, old_user_id in data["lead_rows"]:
            lead_changes[("user_id", old_user_id, assignment[owner_id][0])].append(lead_id)
        activity_changes = defaultdict(list)
        for activity_id, owner_id, old_user_id in data["activity_rows"]:
            activity_changes[("user_id", old_user_id, assignment[owner_id][0])].append(activity_id)

        lines = []
        lines += Transfer._apply_changes("res.partner", team_changes, "department")
        lines += Transfer._apply_changes("res.partner", client_changes, "client")
        lines += Transfer._apply_changes("res.partner", contact_team_changes, "department")
        lines += Transfer._apply_changes("res.partner", contact_changes, "contact")
        lines += Transfer._apply_changes("crm.lead", lead_changes, "opportunity")
        lines += Transfer._apply_changes("mail.activity", activity_changes, "activity")
        successors = self.env["res.users"].sudo().browse({uid for uid, _tid in assignment.values()})
        transfer = Transfer.create({
            "date": fields.Datetime.now(),
            "from_user_ids": [(6, 0, sources.ids)],
            "to_user_ids": [(6, 0, successors.ids)],
            "team_id": self.team_id.id,
            "reason": self.reason,
            "client_count": len(data["clients"]),
            "contact_count": len(data["contacts"]),
            "opportunity_count": len(data["leads"]),
            "activity_count": len(data["activities"]),
            "line_ids": [(0, 0, vals) for vals in lines],
        })
        self._notify(transfer, data, successors)
        return {
            "type": "ir.actions.act_window",
            "res_model": "curator.transfer",
            "res_id": transfer.id,
            "view_mode": "form",
            "target": "current",
        }

    def _notify(self, transfer, data, successors):
        """One chatter note per client, followers in bulk, one summary per successor."""
        assignment = data["assignment"]
        names = {u.id: u.name for u in successors}
        reason = self.reason or ""
        self.env["res.partner"].sudo()._client_guard_log_notes({
            client.id: Markup("<p>{}</p>").format(
                _("Curator transferred to %(user)s by %(manager)s. %(reason)s",
                  user=names.get(assignment[client.id][0], ""), manager=self.env.user.name, reason=reason)
            )
            for client in data["clients"]
        })
        by_user = defaultdict(list)
        for client_id, (user_id, _team_id) in assignment.items():
            by_user[user_id].append(client_id)
        leads_by_user = defaultdict(list)
        for lead_id, owner_id, _old_user_id in data["lead_rows"]:
            leads_by_user[assignment[owner_id][0]].append(lead_id)
        for user in successors:
            client_ids = by_user[user.id]
            self._subscribe("crm.lead", leads_by_user[user.id], user.partner_id)
            activities = sum(1 for _act_id, owner, _old in data["activity_rows"] if assignment[owner][0] == user.id)
            transfer.message_notify(
                partner_ids=user.partner_id.ids,
                subject=_("Clients transferred to you"),
                body=Markup("<p>{}</p>").format(_(
                    "%(manager)s transferred to you %(clients)s clients, %(leads)s open opportunities and "
                    "%(activities)s activities. %(reason)s",
                    manager=self.env.user.name, clients=len(client_ids), leads=len(leads_by_user[user.id]),
                    activities=activities, reason=reason,
                )),
            )

    @api.model
    def _subscribe(self, model, res_ids, partner):
        """Make ``partner`` follow ``res_ids`` with the model's default subtypes,
        in two statements (message_subscribe works one document at a time)."""
        if not res_ids:
            return
        self.env.flush_all()
        self.env.cr.execute(
            "INSERT INTO mail_followers (res_model, res_id, partner_id) "
            "SELECT %s, res_id, %s FROM unnest(%s::int[]) AS res_id ON CONFLICT DO NOTHING RETURNING id",
            (model, partner.id, list(res_ids)))
        follower_ids = [row[0] for row in self.env.cr.fetchall()]
        subtypes = self.env["mail.message.subtype"].sudo().default_subtypes(model)[0]
        if follower_ids and subtypes:
            self.env.cr.execute(
                "INSERT INTO mail_followers_mail_message_subtype_rel (mail_followers_id, mail_message_subtype_id) "
                "SELECT f, s FROM unnest(%s::int[]) AS f, unnest(%s::int[]) AS s ON CONFLICT DO NOTHING",
                (follower_ids, subtypes.ids))
        self.env["mail.followers"].invalidate_model()

    @api.model
    def transfer_clients(self, from_user_id, to_user_id, partner_ids=None, reason=None, **options):
        """XML-RPC entry point for HR integrations: transfer ``partner_ids`` (by
        default every client of ``from_user_id``) to ``to_user_id`` in one call.
        Returns the id of the ``curator.transfer`` record."""
        values = {
            "from_user_id": from_user_id,
            "to_user_id": to_user_id,
            "reason": reason,
            "partner_ids": [(6, 0, partner_ids if partner_ids is not None else self._clients_of(from_user_id).ids)],
        }
        values.update({key: options[key] for key in (
            "team_id", "transfer_contacts", "transfer_opportunities", "transfer_activities") if key in options})
        action = self.create(values).action_transfer()
        return action["res_id"]

    # ------------------------------------------------------------------
    # Private clients the manager cannot see
    # ------------------------------------------------------------------
    @api.model
    def _hidden_private_note(self, user):
        """A sentence on ``user``'s private clients the current user may not
        transfer (they are not listed), and who may; empty when there are none."""
        if not user:
            return ""
        clients = self.env["res.partner"].sudo().search(
            [("user_id", "=", user.id), ("is_client", "=", True), ("parent_id", "=", False),
             ("is_private", "=", True)])
        hidden = self.browse()._private_refused(clients)
        if not hidden:
            return ""
        trusted = (hidden.trusted_user_ids - self.env.user).sorted("name")
        return _(
            "%(count)s private clients of %(user)s are not listed: you cannot see them. Only %(user)s or "
            "their trusted users (%(trusted)s) may transfer them.",
            count=len(hidden), user=user.name,
            trusted=", ".join(trusted.mapped("name")) or _("none"),
        )

    @api.depends("from_user_id")
    def _compute_hidden_private_note(self):
        for wizard in self:
            wizard.hidden_private_note = self._hidden_private_note(wizard.from_user_id)
