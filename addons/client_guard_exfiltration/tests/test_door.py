import importlib.util

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ExfiltrationCase

MUTED = ("odoo.addons.client_guard.models.client_guard_security_event", "odoo.addons.base.models.ir_rule")


@tagged("post_install", "-at_install")
class TestCountedAtTheDoor(ExfiltrationCase):
    """The guard counts where the contact details leave the server (the door
    of client_guard), whatever the path: a client's details on another
    model, a group of read_group, an onchange, a vCard."""

    def leads(self, clients):
        return self.env["crm.lead"].create([
            {"name": f"Deal {c.name}", "type": "opportunity", "partner_id": c.id, "user_id": self.sales.id}
            for c in clients])

    def test_related_copies_count(self):
        leads = self.leads(self.clients[:2])
        leads.with_user(self.sales).read(["name", "partner_id"])
        self.assertFalse(self.marks(self.sales), "names and labels are not contact details")
        rows = leads.with_user(self.sales).read(["email_from", "phone"])
        self.assertEqual({row["email_from"] for row in rows}, set(self.clients[:2].mapped("email")))
        self.assertEqual(self.marks(self.sales).partner_id, self.clients[:2])

    def test_read_group_by_phone_counts(self):
        groups = self.env["res.partner"].with_user(self.sales).read_group(
            [("id", "in", self.clients[:3].ids)], ["phone"], ["phone"])
        self.assertEqual(len(groups), 3)
        self.assertEqual(self.marks(self.sales).partner_id, self.clients[:3])

    def test_onchange_counts(self):
        self.env["crm.lead"].with_user(self.sales).onchange(
            {"partner_id": self.clients[0].id}, ["partner_id"], {"email_from": {}, "phone": {}})
        self.assertEqual(self.marks(self.sales).partner_id, self.clients[0])

    def test_vcard_counts(self):
        if not importlib.util.find_spec("vobject"):
            self.skipTest("vobject (one of Odoo's requirements) is not installed")
        for client in self.clients[:2]:
            self.assertIn(client.phone.encode(), client.with_user(self.sales)._get_vcard_file())
        self.assertEqual(self.marks(self.sales).partner_id, self.clients[:2])

    def _report(self):
        self.env["ir.ui.view"].create({
            "name": "ex_client_card", "type": "qweb", "key": "client_guard_exfiltration.ex_client_card",
            "arch": """<t t-name="client_guard_exfiltration.ex_client_card"><t t-foreach="docs" t-as="o">
                <p t-out="o.name"/><p t-out="o.phone"/></t></t>""",
        })
        return self.env["ir.actions.report"].create({
            "name": "Client card", "model": "res.partner", "report_type": "qweb-pdf",
            "report_name": "client_guard_exfiltration.ex_client_card"})

    @mute_logger(*MUTED)
    def test_reports_count_and_need_the_export_right(self):
        report = self._report()
        Report = self.env["ir.actions.report"].with_user(self.sales)
        html, _type = Report._render_qweb_pdf(report.report_name, self.clients[0].ids)
        self.assertIn(self.clients[0].phone.encode(), html)
        self.assertEqual(self.marks(self.sales).partner_id, self.clients[0], "one client: allowed, counted")
        # several clients without the export right: refused at the door, nothing counted
        self.refused(AccessError, Report._render_qweb_pdf, report.report_name, self.clients[1:3].ids)
        self.assertEqual(self.marks(self.sales).partner_id, self.clients[0])
        # with the export right: allowed, and each client counted
        self.sales.groups_id = [(4, self.env.ref("base.group_allow_export").id)]
        Report._render_qweb_pdf(report.report_name, self.clients[1:3].ids)
        self.assertEqual(self.marks(self.sales).partner_id, self.clients[:3])

    @mute_logger(*MUTED)
    def test_blocked_user_gets_nothing_through_other_paths(self):
        leads = self.leads(self.clients[:2])
        self.refused(AccessError, self.read_clients, self.sales, self.clients[:6])
        Lead = self.env["crm.lead"].with_user(self.sales)
        self.refused(AccessError, leads.with_user(self.sales).read, ["email_from"])
        self.refused(AccessError, Lead.onchange, {"partner_id": self.clients[0].id}, ["partner_id"],
                     {"email_from": {}, "phone": {}})
        self.refused(AccessError, self.env["res.partner"].with_user(self.sales).read_group,
                     [("id", "in", self.clients.ids)], ["email"], ["email"])
        self.refused(AccessError, self.clients[7].with_user(self.sales)._get_vcard_file)
        # names still work: the user can go on with their day
        self.assertEqual(leads.with_user(self.sales).read(["partner_id"])[0]["partner_id"][0], self.clients[0].id)


@tagged("post_install", "-at_install")
class TestVcardDownload(HttpCase):
    """Contacts > Action > Download: an export of contact details."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, "ex_vcard", password="ex_vcard_pw",
                                 groups="base.group_user,client_guard.group_scope_own")
        cls.clients = cls.env["res.partner"].create([
            {"name": f"vCard client {i}", "user_id": cls.user.id, "phone": f"+7 495 333-22-{i:02d}"}
            for i in range(3)])

    def marked(self):
        self.env["client_guard.exfiltration.mark"].invalidate_model()
        return self.env["client_guard.exfiltration.mark"].search([("user_id", "=", self.user.id)]).partner_id

    @mute_logger("odoo.http", "odoo.addons.client_guard.models.client_guard_security_event")
    def test_vcard_needs_the_export_right_and_counts(self):
        if not importlib.util.find_spec("vobject"):
            self.skipTest("vobject (one of Odoo's requirements) is not installed")
        self.authenticate("ex_vcard", "ex_vcard_pw")
        ids = ",".join(map(str, self.clients.ids))
        response = self.url_open(f"/web/partner/vcard?partner_ids={ids}")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(b"333-22", response.content)
        self.assertFalse(self.marked())
        self.user.groups_id = [(4, self.env.ref("base.group_allow_export").id)]
        response = self.url_open(f"/web/partner/vcard?partner_ids={ids}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.marked(), self.clients)
