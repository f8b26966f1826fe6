import logging

import ldap
from ldap.filter import filter_format

from odoo import fields, models

_logger = logging.getLogger(__name__)

FOUND, MISSING, UNREACHABLE = "found", "missing", "unreachable"


class ResCompanyLdap(models.Model):
    _inherit = "res.company.ldap"

    client_guard_role_ids = fields.One2many(
        "client_guard.domain.role", "ldap_id", string="Roles from the Directory",
        help="Role templates: the visibility level, departments and rights of the users of each "
        "directory group or organizational unit, applied at each sign-in and by the nightly sync.",
    )

    def _client_guard_lookup(self, conf, login):
        """The directory entry of ``login`` under ``conf``'s filter, telling a
        missing (removed, disabled: the filter excludes it) account from an
        unreachable server: ``(FOUND, (dn, attrs))``, ``(MISSING, None)`` or
        ``(UNREACHABLE, None)``. Odoo's own ``_query`` logs errors and answers
        an empty list, which would lock everyone out when the server is down."""
        placeholders = conf["ldap_filter"].count("%s")
        query = filter_format(conf["ldap_filter"], [login] * placeholders)
        try:
            conn = self._connect(conf)
            conn.simple_bind_s(conf["ldap_binddn"] or "", conf["ldap_password"] or "")
            results = conn.search_st(conf["ldap_base"], ldap.SCOPE_SUBTREE, query, None, timeout=30)
            conn.unbind()
        except ldap.LDAPError as exc:
            _logger.warning("Directory %s unreachable while looking up %s: %s", conf["ldap_server"], login, exc)
            return UNREACHABLE, None
        results = [entry for entry in results if entry[0]]
        if len(results) != 1:
            return MISSING, None
        return FOUND, results[0]

    def _client_guard_member_of(self, conf, entry, login, group_dns):
        """The lower-cased DNs among ``group_dns`` that the entry is a member of
        (``memberOf`` of Active Directory and OpenLDAP's overlay when present,
        else one base search per group: member, uniqueMember or memberUid)."""
        dn, attrs = entry
        listed = {value.decode().lower() for value in attrs.get("memberOf", [])}
        found = {group for group in group_dns if group in listed}
        todo = [group for group in group_dns if group not in found]
        if not todo:
            return found
        query = filter_format("(|(member=%s)(uniqueMember=%s)(memberUid=%s))", [dn, dn, login])
        try:
            conn = self._connect(conf)
            conn.simple_bind_s(conf["ldap_binddn"] or "", conf["ldap_password"] or "")
            for group in todo:
                try:
                    if conn.search_st(group, ldap.SCOPE_BASE, query, ["cn"], timeout=30):
                        found.add(group)
                except ldap.NO_SUCH_OBJECT:
                    _logger.warning("Directory group %s of a role does not exist", group)
            conn.unbind()
        except ldap.LDAPError as exc:
            _logger.warning("Directory %s: group lookup failed: %s", conf["ldap_server"], exc)
            return None
        return found

    def _client_guard_roles(self, conf, entry, login):
        """Roles of directory ``conf`` that match ``entry``, or None when the
        group memberships could not be read (rights are then left as they are)."""
        roles = self.env["client_guard.domain.role"].sudo().search([("ldap_id", "=", conf["id"])])
        groups = {role.ldap_dn.strip().lower() for role in roles if role.match == "group"}
        member_of = self._client_guard_member_of(conf, entry, login, groups) if groups else set()
        if member_of is None:
            return None
        return roles._matches(entry[0], member_of)

    def _get_or_create_user(self, conf, login, ldap_entry):
        uid = super()._get_or_create_user(conf, login, ldap_entry)
        user = self.env["res.users"].sudo().browse(uid)
        from .res_users import _SIGNIN_METHOD  # noqa: PLC0415

        user._client_guard_domain_signed_in(conf, ldap_entry, method=_SIGNIN_METHOD.get())
        return uid
