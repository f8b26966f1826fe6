from odoo import api, fields, models

LEVELS = [
    ("own", "Own clients"),
    ("department", "Department clients"),
    ("all", "All clients"),
]
LEVEL_GROUPS = {
    "own": "client_guard.group_scope_own",
    "department": "client_guard.group_scope_department",
    "all": "client_guard.group_scope_all",
}
LEVEL_RANK = {"own": 1, "department": 2, "all": 3}


class ClientGuardDomainRole(models.Model):
    """A role template: the users of a directory group (or of an
    organizational unit) get a visibility level, departments and rights."""

    _name = "client_guard.domain.role"
    _description = "Client Guard: Role from the Directory"
    _order = "ldap_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    ldap_id = fields.Many2one("res.company.ldap", string="Directory", required=True, ondelete="cascade")
    match = fields.Selection(
        [("group", "Member of the group"), ("ou", "In the organizational unit")],
        required=True,
        default="group",
        help="Group: the user's entry is a member (member, uniqueMember or memberUid) of the group "
        "whose DN is given. Organizational unit: the user's entry lies under the given DN.",
    )
    ldap_dn = fields.Char(
        string="Directory DN",
        required=True,
        help="DN of the group (e.g. CN=CRM Sales,OU=Groups,DC=corp,DC=example) or of the organizational "
        "unit (e.g. OU=Moscow,OU=Staff,DC=corp,DC=example).",
    )
    level = fields.Selection(
        LEVELS,
        string="Visibility Level",
        help="Clients the user sees. When several roles match, the widest level wins; a directory user "
        "whom no role gives a level gets 'Own clients'.",
    )
    team_ids = fields.Many2many("crm.team", string="Departments",
                                help="Sales teams the user is made a member of.")
    group_ids = fields.Many2many(
        "res.groups",
        string="Rights",
        help="Other rights the user gets (e.g. Plan for others, Manage curators). Rights listed on any role "
        "of the directory are managed by the directory: removed from users whom no role gives them.",
    )

    @api.model
    def _matches(self, entry_dn, member_of):
        """Roles of ``self`` that match a user entry: ``entry_dn`` is the user's
        DN, ``member_of`` the set of lower-cased group DNs the user belongs to."""
        entry_dn = entry_dn.lower()
        return self.filtered(
            lambda role: (role.match == "group" and role.ldap_dn.strip().lower() in member_of)
            or (role.match == "ou" and entry_dn.endswith("," + role.ldap_dn.strip().lower()))
        )
