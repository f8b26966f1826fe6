import base64
import io
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AuditCase


@tagged("post_install", "-at_install")
class TestAudit(AuditCase):
    def test_change_logged_with_old_new_who_and_path(self):
        self.client.with_user(self.salesperson).write({"phone": "+7 495 000-00-01"})
        self.commit_hooks()
        self.client.with_user(self.head).write({"email": "new@client.example", "user_id": self.successor.id})
        self.commit_hooks()
        phone = self.logs(self.client, field_name="phone")
        self.assertEqual(len(phone), 1)
        self.assertEqual((phone.old_value, phone.new_value), ("", "+7 495 000-00-01"))
        self.assertEqual(phone.user_id, self.salesperson)
        self.assertEqual(phone.operation, "write")
        self.assertEqual(phone.path, "system")
        self.assertEqual(phone.partner_id, self.client)
        email = self.logs(self.client, field_name="email")
        self.assertEqual((email.old_value, email.new_value), ("audited@client.example", "new@client.example"))
        self.assertEqual(email.user_id, self.head)
        curator = self.Log.search([*self._filter("curators_changed"), ("res_id", "=", self.client.id)])
        self.assertEqual(len(curator), 1)
        self.assertEqual((curator.old_value, curator.new_value), ("Audit Salesperson", "Audit Successor"))

    def _filter(self, name):
        """The domain of a ready filter of the officer's search view."""
        from lxml import etree  # noqa: PLC0415

        from odoo.tools.safe_eval import safe_eval  # noqa: PLC0415

        arch = etree.fromstring(self.env.ref("client_guard_audit.client_guard_audit_log_view_search").arch)
        [node] = arch.xpath(f"//filter[@name='{name}']")
        return safe_eval(node.get("domain"))

    def test_only_watched_fields_until_the_officer_picks_more(self):
        self.client.with_user(self.salesperson).write({"website": "https://client.example"})
        self.commit_hooks()
        self.assertFalse(self.logs(self.client, field_name="website"))
        rule = self.env.ref("client_guard_audit.audit_rule_partner").with_user(self.officer)
        rule.field_ids = [(4, self.env.ref("base.field_res_partner__website").id)]
        self.client.with_user(self.head).write({"website": "https://other.example"})
        self.commit_hooks()
        log = self.logs(self.client, field_name="website")
        self.assertEqual((log.old_value, log.new_value), ("https://client.example", "https://other.example"))
        # a salesperson cannot change what is watched
        with self.assertRaises(AccessError):
            rule.with_user(self.salesperson).field_ids = [(5, 0, 0)]
        self.assertIn("website", rule.field_ids.mapped("name"))

    def test_paths_import_transfer_pbx(self):
        self.env["res.partner"].with_user(self.head).load(
            ["name", "is_company", "email"], [["Imported client", "1", "imported@client.example"]])
        lead = self.env["crm.lead"].create({
            "name": "Deal", "type": "opportunity", "partner_id": self.client.id,
            "user_id": self.salesperson.id, "team_id": self.team.id})
        self.commit_hooks()
        imported = self.env["res.partner"].search([("name", "=", "Imported client")])
        created = self.logs(imported, operation="create")
        self.assertEqual(created.path, "import")
        self.assertIn("imported@client.example", created.new_value)
        wizard = self.env["curator.transfer.wizard"].with_user(self.head).with_context(
            active_model="res.users", active_id=self.salesperson.id).create({"to_user_id": self.successor.id})
        wizard.action_transfer()
        self.commit_hooks()
        moved = self.logs(self.client, field_name="user_id")
        self.assertEqual(moved.path, "transfer")
        self.assertEqual(moved.user_id, self.head)
        moved_lead = self.logs(lead, field_name="user_id")
        self.assertEqual(moved_lead.path, "transfer")
        self.assertEqual((moved_lead.old_value, moved_lead.new_value), ("Audit Salesperson", "Audit Successor"))
        self.assertEqual(moved_lead.partner_id, self.client)
        # the PBX: an unknown caller becomes a client, logged as created through the PBX
        integration = self.env["res.users"].create({
            "name": "PBX", "login": "au_pbx",
            "groups_id": [(6, 0, [self.env.ref("pbx_call_capture.group_pbx_integration").id])]})
        self.successor.pbx_extension = "9301"
        result = self.env["pbx.call"].with_user(integration).register_calls([{
            "uniqueid": "au-1", "src": "+74997770011", "dst": "9301", "start": "2026-11-23 10:00:00",
            "duration": 30, "billsec": 25, "disposition": "ANSWERED"}])
        self.assertEqual(result[0]["status"], "created", result)
        self.commit_hooks()
        call = self.env["pbx.call"].browse(result[0]["id"])
        self.assertEqual(self.logs(call.partner_id, operation="create").path, "pbx")

    def test_deleted_client_keeps_a_copy(self):
        client = self.env["res.partner"].create({
            "name": "Doomed client", "is_company": True, "user_id": self.head.id, "team_id": self.team.id,
            "phone": "+7 495 555-55-55"})
        client_id = client.id
        client.with_user(self.head).unlink()
        deleted = self.Log.search([*self._filter("deleted_on_clients"), ("client_id", "=", client_id)])
        self.assertEqual(len(deleted), 1)
        self.assertEqual(deleted.operation, "unlink")
        self.assertEqual(deleted.user_id, self.head)
        self.assertEqual(deleted.res_name, "Doomed client")
        self.assertIn("+7 495 555-55-55", deleted.deleted_copy)
        self.assertFalse(deleted.partner_id)  # the client is gone, its id and name stay

    def test_deleted_and_edited_messages_kept_as_tombstones(self):
        thread = self.client.with_user(self.salesperson)
        message = thread.message_post(body="Скидка 30% по договорённости", message_type="comment")
        thread._message_update_content(message, body="Скидка 10%")
        thread._message_update_content(message, body="", attachment_ids=[])
        edited = self.logs(self.client, operation="message_edited")
        self.assertEqual(edited.old_value.strip(), "Скидка 30% по договорённости")
        deleted = self.Log.search([*self._filter("messages_deleted"), ("res_id", "=", self.client.id)])
        self.assertEqual(len(deleted), 1)
        self.assertIn("Скидка 10%", deleted.old_value)
        self.assertEqual(deleted.user_id, self.salesperson)
        # a message deleted outright (by an administrator) too
        other = self.client.message_post(body="Второе сообщение", message_type="comment")
        other.with_user(self.sysadmin).unlink()
        self.assertEqual(len(self.Log.search([*self._filter("messages_deleted"), ("res_id", "=", self.client.id)])), 2)

    def test_deleted_attachment_kept_with_content(self):
        attachment = self.env["ir.attachment"].create({
            "name": "price-list.txt", "raw": b"secret prices", "res_model": "res.partner", "res_id": self.client.id})
        attachment.unlink()
        tombstone = self.logs(self.client, operation="attachment_deleted")
        self.assertEqual(tombstone.deleted_filename, "price-list.txt")
        self.assertEqual(base64.b64decode(tombstone.deleted_content), b"secret prices")
        self.assertIn(tombstone, self.Log.search(self._filter("deleted_on_clients")))

    def test_log_is_append_only_for_everyone(self):
        self.client.with_user(self.head).write({"email": "changed@client.example"})
        self.commit_hooks()
        log = self.logs(self.client, field_name="email")
        before = log.read(["old_value", "new_value", "user_id"])
        for user in (self.officer, self.sysadmin):
            with self.assertRaises(UserError):
                log.with_user(user).write({"new_value": "forged"})
            with self.assertRaises(UserError):
                log.with_user(user).unlink()
            with self.assertRaises(UserError):
                self.Log.with_user(user).create({"operation": "write", "model": "res.partner"})
        # not even with superuser rights through the ORM
        with self.assertRaises(UserError):
            log.sudo().unlink()
        with self.assertRaises(UserError):
            log.sudo().write({"new_value": "forged"})
        log.invalidate_recordset()
        self.assertEqual(log.read(["old_value", "new_value", "user_id"]), before)
        # salespeople do not read the log at all
        with self.assertRaises(AccessError):
            self.Log.with_user(self.salesperson).search([])

    def test_retention_removes_only_expired_entries(self):
        self.client.with_user(self.head).write({"email": "old@client.example"})
        self.commit_hooks()
        self.client.with_user(self.head).write({"email": "recent@client.example"})
        self.commit_hooks()
        old, recent = self.logs(self.client, field_name="email").sorted("id")
        self.env.cr.execute("UPDATE client_guard_audit_log SET create_date = %s WHERE id = %s",
                            [fields.Datetime.now() - timedelta(days=400), old.id])
        self.env["ir.config_parameter"].sudo().set_param("client_guard_audit.retention_days", "0")
        self.Log._cron_purge_expired()
        self.assertEqual(len(self.logs(self.client, field_name="email")), 2)
        self.env["ir.config_parameter"].sudo().set_param("client_guard_audit.retention_days", "365")
        self.env.ref("client_guard_audit.ir_cron_audit_purge").method_direct_trigger()
        self.assertEqual(self.logs(self.client, field_name="email"), recent)

    def test_officer_exports_filtered_view_to_xlsx(self):
        from openpyxl import load_workbook  # noqa: PLC0415

        self.client.with_user(self.head).write({"user_id": self.successor.id, "email": "x@client.example"})
        self.commit_hooks()
        logs = self.Log.with_user(self.officer).search(
            [*self._filter("curators_changed"), ("res_id", "=", self.client.id)])
        action = logs.action_export_xlsx()
        export = self.env["client_guard.audit.export"].with_user(self.officer).search([], order="id desc", limit=1)
        self.assertIn(f"/web/content/client_guard.audit.export/{export.id}/file/", action["url"])
        sheet = load_workbook(io.BytesIO(base64.b64decode(export.file))).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(rows), 2)
        header, row = rows
        values = dict(zip(header, row, strict=True))
        self.assertEqual(values["Old Value"], "Audit Salesperson")
        self.assertEqual(values["New Value"], "Audit Successor")
        self.assertEqual(values["User"], "Audit Head")
        with self.assertRaises(UserError):
            self.Log.with_user(self.salesperson).browse(logs.ids).action_export_xlsx()
        # another officer does not download this officer's file
        officer2 = new_test_user(self.env, "au_officer2", groups="base.group_user,client_guard.group_security_officer")
        other = self.env["client_guard.audit.export"].with_user(officer2).search([("id", "=", export.id)])
        self.assertFalse(other)

    def test_private_clients_stay_private_in_the_log(self):
        private = self.env["res.partner"].create({
            "name": "Private audited client", "is_company": True, "user_id": self.head.id,
            "team_id": self.team.id, "is_private": True})
        self.env.flush_all()
        self.env.cr.flush()
        private.with_user(self.head).write({"email": "secret@private.example"})
        self.commit_hooks()
        entry = self.logs(private, field_name="email")
        self.assertEqual(len(entry), 1)
        # an officer (and the administrator) who is not trusted sees that the change happened,
        # who made it and when, but neither the client's name nor the values
        for user in (self.officer, self.sysadmin):
            Log = self.Log.with_user(user)
            found = Log.search([("res_id", "=", private.id), ("model", "=", "res.partner")])
            self.assertIn(entry, found)
            [values] = Log.browse(entry.ids).read(
                ["user_id", "create_date", "field_name", "res_name", "client_name", "partner_id",
                 "old_value", "new_value", "display_name"])
            self.assertEqual(values["user_id"][0], self.head.id)
            self.assertTrue(values["create_date"])
            self.assertEqual(values["field_name"], "email")
            self.assertFalse(values["partner_id"])
            for fname in ("res_name", "client_name", "new_value", "display_name"):
                self.assertNotIn("secret", str(values[fname]))
                self.assertNotIn("Private audited", str(values[fname]))
            web = Log.web_search_read([("id", "=", entry.id)], {"res_name": {}, "new_value": {}})
            self.assertEqual(web["records"][0]["new_value"], "(private client)")
            # searching or grouping by what is masked does not tell it either
            self.assertFalse(Log.search([("new_value", "ilike", "secret")]))
            self.assertFalse(Log.search([("client_name", "ilike", "Private audited")]))
            groups = Log.read_group([("id", "=", entry.id)], ["client_name"], ["client_name"])
            self.assertFalse(groups)
            rows = Log.browse(entry.ids).export_data(["res_name", "field_name", "new_value"])["datas"]
            self.assertEqual(rows, [["(private client)", "email", "(private client)"]])
        # once trusted, the officer sees it
        private.sudo().trusted_user_ids = [(4, self.officer.id)]
        [values] = self.Log.with_user(self.officer).browse(entry.ids).read(["new_value", "res_name"])
        self.assertEqual(values["new_value"], "secret@private.example")
        self.assertEqual(values["res_name"], "Private audited client")

    def test_who_made_a_client_private_stays_in_the_log(self):
        self.env["client_guard.audit.rule"].sudo().search([("model", "=", "res.partner")]).ensure_one()
        self.client.sudo().with_user(self.head).write({"is_private": True, "trusted_user_ids": [(4, self.head.id)]})
        self.commit_hooks()
        lines = self.Log.with_user(self.officer).search(
            [("model", "=", "res.partner"), ("res_id", "=", self.client.id)])
        self.assertTrue(lines)
        self.assertIn(self.head, lines.user_id)
        self.assertNotIn("Audited client", str(lines.read(["res_name", "client_name"])))

    def test_officer_uses_the_standard_export_on_the_log_only(self):
        self.client.with_user(self.head).write({"email": "exported@client.example"})
        self.commit_hooks()
        logs = self.logs(self.client, field_name="email")
        rows = logs.with_user(self.officer).export_data(["field_description", "old_value", "new_value"])["datas"]
        self.assertEqual([row[1:] for row in rows], [["audited@client.example", "exported@client.example"]])
        # the officer's right does not extend to the clients themselves
        with self.assertRaises(UserError):
            self.client.with_user(self.officer).export_data(["name", "email"])
        with self.assertRaises(UserError):
            logs.with_user(self.salesperson).export_data(["old_value"])
