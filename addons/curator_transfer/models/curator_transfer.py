import json
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.client_guard.server_flags import server_flags

# model, field, kind: the order in which a transfer writes and a revert undoes
TRANSFER_TARGETS = ("res.partner", "crm.lead", "mail.activity")


class CuratorTransfer(models.Model):
    _name = "curator.transfer"
    _description = "Curator Transfer"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", string="Run By", required=True, readonly=True,
                              default=lambda self: self.env.user)
    from_user_ids = fields.Many2many("res.users", "curator_transfer_from_user_rel", "transfer_id", "user_id",
                                     string="From", readonly=True)
    to_user_ids = fields.Many2many("res.users", "curator_transfer_to_user_rel", "transfer_id", "user_id",
                                   string="To", readonly=True)
    team_id = fields.Many2one("crm.team", string="New Department", readonly=True)
    reason = fields.Text(readonly=True)
    line_ids = fields.One2many("curator.transfer.line", "transfer_id", string="Moved Records", readonly=True)
    client_count = fields.Integer(readonly=True)
    contact_count = fields.Integer(readonly=True)
    opportunity_count = fields.Integer(readonly=True)
    activity_count = fields.Integer(readonly=True)
    state = fields.Selection(
        [("done", "Done"), ("reverted", "Reverted"), ("partially_reverted", "Partially reverted")],
        default="done",
        required=True,
        readonly=True,
        tracking=True,
    )
    revert_date = fields.Datetime(readonly=True)
    revert_user_id = fields.Many2one("res.users", string="Reverted By", readonly=True)
    revert_report = fields.Text(readonly=True)

    @api.depends("from_user_ids", "to_user_ids", "date")
    def _compute_name(self):
        for transfer in self:
            transfer.name = _(
                "%(from)s → %(to)s",
                **{
                    "from": ", ".join(transfer.from_user_ids.mapped("name")) or "-",
                    "to": ", ".join(transfer.to_user_ids.mapped("name")) or "-",
                },
            )

    # ------------------------------------------------------------------
    # Applying and reverting, set-based
    # ------------------------------------------------------------------
    @api.model
    def _check_manager(self):
        if not self.env.user.has_group("curator_transfer.group_transfer_manager"):
            raise AccessError(
                _(
                    "Only users with the right “%s” can transfer clients or revert a transfer.",
                    self.env.ref("curator_transfer.group_transfer_manager").name,
                )
            )

    @api.model
    def _check_moves(self, clients, assignment):
        """The checks every move of clients passes, a transfer's and a revert's
        alike. ``assignment`` is {client id: (new curator id, new department id)}.

        - the current user may transfer: group_transfer_manager;
        - they see the clients (record rules), unless group_transfer_all_clients;
        - a private client goes only by its curator or a trusted user, or to one
          of its trusted users;
        - the new curators are active internal users of the client's company
          (the client's and the department's, else the current curator's) who
          see the department."""
        self._check_manager()
        user = self.env.user
        clients = clients.sudo()
        if not user.has_group("curator_transfer.group_transfer_all_clients"):
            hidden = clients - clients.with_user(user)._filtered_access("read")
            if hidden:
                raise AccessError(_(
                    "%(count)s of these clients are in departments you cannot see; moving them needs the "
                    "right “%(right)s”.",
                    count=len(hidden), right=self.env.ref("curator_transfer.group_transfer_all_clients").name))
        refused = clients.filtered(
            lambda p: p.is_private
            and user != p.user_id
            and user not in p.trusted_user_ids
            and assignment[p.id][0] not in p.trusted_user_ids.ids
        )
        if refused:
            raise UserError(
                _(
                    "%s private clients can only be transferred by their curator or a trusted user, "
                    "or to one of their trusted users.",
                    len(refused),
                )
            )
        Users = self.env["res.users"].sudo()
        Teams = self.env["crm.team"].sudo()
        for target in Users.browse({user_id for user_id, _team_id in assignment.values() if user_id}):
            if not target.active:
                raise UserError(_("%s is archived: choose an active user.", target.name))
            if target.share:
                raise UserError(_("%s is not an internal user: choose an employee.", target.name))
        for client in clients:
            user_id, team_id = assignment[client.id]
            if not user_id:
                continue
            target, team = Users.browse(user_id), Teams.browse(team_id or [])
            # a client without a company of its own is worked in its department's
            # company, else in its current curator's
            companies = client.company_id | team.company_id or client.user_id.company_id
            if companies - target.company_ids:
                raise UserError(_(
                    "%(user)s does not work for %(company)s, the company of client %(client)s: choose a "
                    "successor of that company.",
                    user=target.name, company=(companies - target.company_ids)[0].name, client=client.name))
        for (user_id, team_id) in set(assignment.values()):
            target = Users.browse(user_id or [])
            if not team_id or not target or not target._client_guard_is_protected():
                continue
            if target.has_group("client_guard.group_scope_all"):
                continue
            if team_id not in target.client_guard_team_ids.ids:
                raise UserError(
                    _(
                        "%(user)s cannot see the department %(team)s: add them to it, choose another "
                        "department or another successor.",
                        user=target.name,
                        team=Teams.browse(team_id).name,
                    )
                )

    @api.model
    def _apply_changes(self, model, changes, kind):
        """Apply ``changes`` ({(field, old, new): [ids]}) on ``model`` with one
        write per distinct (field, new value) and return the line values."""
        env = self.env(su=True)
        grouped = defaultdict(list)
        for (field, _old, new), ids in changes.items():
            grouped[(field, new)].extend(ids)
        for (field, new), ids in grouped.items():
            self._write_many(env[model].browse(ids), {field: new or False})
        return [
            {
                "res_model": model,
                "field_name": field,
                "old_value": old or 0,
                "new_value": new or 0,
                "res_ids_json": json.dumps(sorted(ids)),
                "kind": kind,
            }
            for (field, old, new), ids in changes.items()
            if ids
        ]

    @api.model
    def _write_many(self, records, vals):
        if not records:
            return
        if records._name in ("mail.activity", "crm.lead"):
            # mail.activity.write subscribes each new assignee to each document and
            # crm.lead.write checks companies record by record; the transfer only
            # changes the assignee (same company) and subscribes successors in bulk.
            self.env.flush_all()
            self.env.cr.execute(
                SQL("UPDATE %s SET user_id = %s, write_uid = %s, write_date = %s WHERE id = ANY(%s)",
                    SQL.identifier(records._table), vals["user_id"], self.env.uid, self.env.cr.now(), records.ids)
            )
            records.invalidate_recordset(["user_id", "write_uid", "write_date"])
            return
        with server_flags(curator_transfer_bulk=True):
            records.with_context(tracking_disable=True, mail_auto_subscribe_no_notify=True).write(vals)

    def _check_revert_plan(self, plan):
        """A revert moves clients back to their former curators and
        departments: it passes the same checks as a transfer."""
        assignment = {}
        for line, records in plan:
            if line.res_model != "res.partner" or line.field_name not in ("user_id", "team_id") or not records:
                continue
            for partner in records.sudo():
                client = partner.commercial_partner_id
                user_id, team_id = assignment.get(client.id, (None, None))
                if line.field_name == "user_id" and (user_id is None or partner == client):
                    user_id = line.old_value or False
                if line.field_name == "team_id" and (team_id is None or partner == client):
                    team_id = line.old_value or False
                assignment[client.id] = (user_id, team_id)
        if not assignment:
            return
        clients = self.env["res.partner"].sudo().browse(list(assignment))
        assignment = {
            client.id: (
                assignment[client.id][0] if assignment[client.id][0] is not None else client.user_id.id,
                assignment[client.id][1] if assignment[client.id][1] is not None else client.team_id.id,
            )
            for client in clients
        }
        self._check_moves(clients, assignment)

    def action_revert(self):
        self._check_manager()
        for transfer in self:
            transfer.sudo()._revert()
        return True

    def _log_revert_on_clients(self, plan):
        """One chatter note per client given back, as the transfer logged one."""
        names = {}
        bodies = {}
        for line, records in plan:
            if line.kind != "client" or not records:
                continue
            user = self.env["res.users"].browse(line.old_value or False)
            names.setdefault(user.id, user.name or "-")
            for record in records:
                bodies[record.id] = Markup("<p>{}</p>").format(_(
                    "Curator transfer reverted by %(manager)s: the curator is %(user)s again.",
                    manager=self.env.user.name, user=names[user.id]))
        self.env["res.partner"]._client_guard_log_notes(bodies)

    def _revert(self):
        self.ensure_one()
        if self.state == "reverted":
            raise UserError(_("This transfer has already been reverted."))
        skipped = []
        reverted = 0
        lines = self.line_ids.sorted(lambda line: (TRANSFER_TARGETS.index(line.res_model), line.id))
        # check every line first: a revert never leaves a half-undone record
        plan = []
        limit = self.date + timedelta(seconds=1)  # write_date of the transfer's own writes
        for line in lines:
            Model = self.env[line.res_model].with_context(active_test=False)
            records = Model.browse(line.res_ids).exists()
            missing = len(line.res_ids) - len(records)
            if missing:
                skipped.append(_("%(count)s %(kind)s no longer exist", count=missing, kind=line.kind))
            field = line.field_name
            unchanged = records.filtered(
                lambda r, f=field, v=line.new_value: (r[f].id or 0) == v
                and (not r.write_date or r.write_date <= limit)
            )
            changed = records - unchanged
            if changed:
                skipped.append(
                    _(
                        "%(count)s %(kind)s changed since the transfer (ids %(ids)s)",
                        count=len(changed),
                        kind=dict(line._fields["kind"].selection).get(line.kind),
                        ids=", ".join(map(str, changed.ids[:20])) + ("…" if len(changed) > 20 else ""),
                    )
                )
            plan.append((line, unchanged))
        self._check_revert_plan(plan)
        for line, records in plan:
            if records:
                self._write_many(records, {line.field_name: line.old_value or False})
                reverted += len(records)
        self._log_revert_on_clients(plan)
        report = _("%s records restored.", reverted)
        if skipped:
            report += "\n" + _("Skipped:") + "\n- " + "\n- ".join(skipped)
        self.write({
            "state": "partially_reverted" if skipped else "reverted",
            "revert_date": fields.Datetime.now(),
            "revert_user_id": self.env.uid,
            "revert_report": report,
        })
        self.message_post(body=Markup("<p>%s</p>") % report, message_type="comment", subtype_xmlid="mail.mt_note")
        return report
