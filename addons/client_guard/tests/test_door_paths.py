"""Paths of issue 11 that the first version of the door left open: reports
on several clients, searches by a contact detail, the chatter's messages and
tracked changes."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tools.discuss import Store

from .test_contact_details import DetailsCase

MUTED = ("odoo.addons.client_guard.models.client_guard_security_event",)


class ReportCase(DetailsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.ui.view"].create({
            "name": "cg_test_client_card", "type": "qweb", "key": "client_guard.cg_test_client_card",
            "arch": """<t t-name="client_guard.cg_test_client_card"><t t-foreach="docs" t-as="o">
                <div class="card"><p t-out="o.name"/><p t-out="o.phone"/><p t-out="o.email"/></div>
            </t></t>""",
        })
        cls.report = cls.env["ir.actions.report"].create({
            "name": "Client card (test)", "model": "res.partner", "report_type": "qweb-pdf",
            "report_name": "client_guard.cg_test_client_card",
        })
        cls.exporter = cls.env.ref("base.group_allow_export")

    def render(self, user, clients, kind="pdf"):
        Report = self.env["ir.actions.report"].with_user(user)
        render = Report._render_qweb_pdf if kind == "pdf" else Report._render_qweb_html
        content, _type = render(self.report.report_name, clients.ids)
        return content.decode() if isinstance(content, bytes) else str(content)


@tagged("post_install", "-at_install")
class TestReportsNeedTheExportRight(ReportCase):
    """A report on several clients' records is an export of their details."""

    def events(self):
        return self.env["client_guard.security.event"].sudo().search(
            [("event_type", "=", "export_refused"), ("model", "=", "res.partner")])

    @mute_logger(*MUTED)
    def test_several_clients_refused_without_the_export_right(self):
        two = self.client_own | self.client_b
        for user in (self.user_all, self.masked):
            for kind in ("pdf", "html"):
                with self.subTest(user=user.login, kind=kind):
                    before = self.events()
                    try:  # no savepoint: the event logged with the refusal must stay
                        self.render(user, two, kind)
                        self.fail("AccessError not raised")
                    except AccessError as error:
                        self.assertIn("export", str(error))
                    self.assertTrue(self.events() - before, "the refusal is in the security log")
        # nothing changed: the clients keep their details
        self.assertEqual(self.client_own.phone, "+7 495 111-11-11")

    def test_one_record_stays_allowed(self):
        html = self.render(self.user_dept, self.client_own)
        self.assertIn(self.client_own.phone, html)
        masked = self.render(self.masked, self.client_own)
        self.assertIn("+7 495 ***-**-11", masked)
        self.assertNotIn(self.client_own.phone, masked)

    def test_export_right_allows_several(self):
        self.user_all.groups_id = [(4, self.exporter.id)]
        html = self.render(self.user_all, self.client_own | self.client_b)
        self.assertIn(self.client_own.phone, html)

    def test_no_details_no_export(self):
        # the accountant gets no contact details: a report on many clients is names only
        html = self.render(self.accountant, self.client_own | self.client_b)
        self.assertIn(self.client_own.name, html)
        self.assertNoSecrets(html, self.client_own, name=False)
        # and the administrator is not under Client Guard's editing limits
        self.assertIn(self.client_own.phone, self.render(self.user_admin, self.client_own | self.client_b))


@tagged("post_install", "-at_install")
class TestSearchByADetail(DetailsCase):
    """A domain on a contact detail is a question about it: users who do not
    see clients' details in full get no client from it."""

    def searches(self, user, client):
        Partner = self.env["res.partner"].with_user(user)
        phone_digits = "".join(ch for ch in client.phone if ch.isdigit())
        domains = [
            [("phone", "=", client.phone)], [("phone", "ilike", client.phone[-6:])],
            [("mobile", "ilike", client.mobile[-5:])], [("phone_sanitized", "ilike", phone_digits[-7:])],
            [("email", "=", client.email)], [("email", "ilike", client.email.split("@")[0])],
            [("email_normalized", "=", client.email)], [("vat", "=", client.vat)],
            [("street", "ilike", client.street)], [("zip", "=", client.zip)],
            [("phone", "!=", "+7 000 000-00-00")], [("email", "!=", False)],
        ]
        if client.bank_ids:
            domains.append([("bank_ids.acc_number", "ilike", client.bank_ids[0].acc_number[-7:])])
        found = {}
        for leaves in domains:
            key = repr(leaves)
            domain = [*leaves, ("id", "=", client.id)]
            found[key] = Partner.search(domain).ids
            found["count " + key] = Partner.search_count(domain)
            found["web " + key] = [r["id"] for r in Partner.web_search_read(domain, {"id": {}})["records"]]
            groups = Partner.read_group(domain, ["is_company"], ["is_company"])
            found["group " + key] = sum(group["is_company_count"] for group in groups)
        found["name_search email"] = Partner.name_search(client.email, [("id", "=", client.id)])
        found["name_search vat"] = Partner.name_search(client.vat, [("id", "=", client.id)])
        Lead = self.env["crm.lead"].with_user(user)
        mine = ("partner_id", "=", client.id)
        found["lead partner_id.phone"] = Lead.search([("partner_id.phone", "=", client.phone), mine]).ids
        found["lead partner_id.email"] = Lead.search([("partner_id.email", "ilike", client.email), mine]).ids
        found["lead email_from"] = Lead.search([("email_from", "=", client.email), mine]).ids
        found["lead phone"] = Lead.search([("phone", "ilike", client.phone[-6:]), mine]).ids
        found["lead phone_mobile_search"] = Lead.search(
            [("phone_mobile_search", "ilike", phone_digits[-7:]), mine]).ids
        return found

    def setUp(self):
        super().setUp()
        self.env["crm.lead"].create({"name": "Deal of own", "type": "opportunity", "partner_id": self.client_own.id,
                                     "user_id": self.user_own.id, "email_from": self.client_own.email,
                                     "phone": self.client_own.phone})

    def test_masked_and_none_find_no_client_by_a_detail(self):
        for user in (self.masked, self.accountant):
            for client in (self.client_own, self.client_b):
                with self.subTest(user=user.login, client=client.name):
                    self.assertTrue(self.env["res.partner"].with_user(user).search([("id", "=", client.id)]),
                                    "the client is visible")
                    found = self.searches(user, client)
                    self.assertFalse({key: val for key, val in found.items() if val}, "a detail answered")
                    # the client is still found by its name
                    self.assertIn(client.id, self.env["res.partner"].with_user(user).search(
                        [("name", "=", client.name)]).ids)

    def test_full_level_finds_them(self):
        found = self.searches(self.user_own, self.client_own)
        self.assertEqual(found[repr([("phone", "=", self.client_own.phone)])], [self.client_own.id])
        self.assertEqual(found[repr([("email", "=", self.client_own.email)])], [self.client_own.id])
        self.assertTrue(found["lead partner_id.phone"])
        self.assertTrue(found["lead phone_mobile_search"])
        self.assertTrue(found["name_search email"])

    def test_hidden_clients_not_found_by_any_level(self):
        for user, hidden in self.roles:
            # an opportunity assigned to the role on the hidden client: its name shows, its copies of the
            # client's e-mail and phone must not answer a search
            self.env["crm.lead"].create({"name": "Assigned", "type": "opportunity", "partner_id": hidden.id,
                                         "user_id": user.id, "email_from": hidden.email, "phone": hidden.phone})
            with self.subTest(user=user.login):
                found = self.searches(user, hidden)
                self.assertFalse({key: val for key, val in found.items() if val})

    def test_non_clients_found_by_everyone(self):
        colleague = self.user_all.partner_id
        colleague.sudo().write({"phone": "+7 812 555-12-34", "email": "colleague@company.example"})
        for user in (self.masked, self.accountant):
            Partner = self.env["res.partner"].with_user(user)
            self.assertIn(colleague.id, Partner.search([("phone", "=", "+7 812 555-12-34")]).ids)
            self.assertIn(colleague.id, Partner.search([("email", "ilike", "colleague@")]).ids)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def test_no_substring_of_a_detail_answers(self, data):
        client = self.client_own
        field = data.draw(st.sampled_from(["phone", "mobile", "email", "street", "zip", "vat"]))
        value = client[field]
        start = data.draw(st.integers(0, len(value) - 3))
        end = data.draw(st.integers(start + 3, len(value)))
        operator = data.draw(st.sampled_from(["ilike", "=ilike", "like", "=", "not ilike", "!="]))
        user = data.draw(st.sampled_from([self.masked, self.accountant]))
        found = self.env["res.partner"].with_user(user).search(
            [(field, operator, value[start:end]), ("id", "in", self.clients.ids)])
        self.assertFalse(found, f"{field} {operator} {value[start:end]!r} answered for {user.login}")


@tagged("post_install", "-at_install")
class TestChatter(DetailsCase):
    """What people type in a client's chatter and the tracking of its
    changes pass the door like any other copy of the client's details."""

    def setUp(self):
        super().setUp()
        self.old_phone, self.old_email = self.client_own.phone, self.client_own.email
        client = self.client_own.with_context(tracking_disable=False, mail_notrack=False)
        client.message_post(body=f"Called {self.old_phone}, wrote to {self.old_email}", message_type="comment",
                            subtype_xmlid="mail.mt_note")
        client.write({"phone": "+7 495 222-22-22", "email": "new@client.example", "vat": "RU7700000022"})
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written before the commit
        self.messages = self.env["mail.message"].search([("model", "=", "res.partner"),
                                                         ("res_id", "=", self.client_own.id)])
        self.assertTrue(self.messages.tracking_value_ids, "phone, e-mail and tax id are tracked")

    def thread(self, user):
        messages = self.messages.with_user(user)
        store = Store(messages, for_current_user=True)
        return store.get_result()

    def secrets_of_history(self):
        return [self.old_phone, self.old_email, "+7 495 222-22-22", "new@client.example", "RU7700000022",
                "4951111111", "4952222222"]

    def assertNoHistory(self, result, msg=""):
        text = repr(result)
        for secret in self.secrets_of_history():
            self.assertNotIn(secret, text, msg)

    def test_none_level_gets_no_detail_from_the_chatter(self):
        self.assertNoHistory(self.thread(self.accountant), "store")
        rows = self.messages.with_user(self.accountant).read(["body"])
        self.assertNoHistory(rows, "read")
        self.assertTrue(any("Called" in str(row["body"]) for row in rows), "the message is still there")

    def test_masked_level_gets_masked_details(self):
        result = self.thread(self.masked)
        self.assertNoHistory(result)
        text = repr(result)
        self.assertIn("+7 495 ***-**-22", text, "the new phone, masked")
        self.assertIn("+7 495 ***-**-11", text, "the old phone, masked")
        self.assertIn("o***@c***.example", text)

    def test_full_level_gets_the_history(self):
        text = repr(self.thread(self.user_own))
        for secret in (self.old_phone, self.old_email, "+7 495 222-22-22", "new@client.example"):
            self.assertIn(secret, text)

    def test_past_value_tracked_after_a_thread_was_read(self):
        """The door keeps the past values of the details it read for the
        transaction: a change tracked afterwards adds one, which it must
        hold back from then on (a message quoting the phone just replaced)."""
        self.assertNoHistory(self.thread(self.masked))  # past values read and kept
        client = self.client_own.with_context(tracking_disable=False, mail_notrack=False)
        for phone in ("+7 495 333-33-33", "+7 495 444-44-44"):
            client.write({"phone": phone})
            self.env.flush_all()
            self.env.cr.precommit.run()
        client.message_post(body="Old number was +7 495 333-33-33", message_type="comment",
                            subtype_xmlid="mail.mt_note")
        self.messages = self.env["mail.message"].search([("model", "=", "res.partner"),
                                                         ("res_id", "=", self.client_own.id)])
        text = repr(self.thread(self.masked))
        self.assertNotIn("333-33-33", text, "a past phone tracked after the first read")
        self.assertIn("+7 495 ***-**-33", text)
        text = repr(self.thread(self.accountant))
        self.assertNotIn("333-33-33", text)
        self.assertIn("Old number was", text)

    def test_tracking_values_read(self):
        values = self.messages.tracking_value_ids
        admin_rows = values.with_user(self.user_admin).read(["old_value_char", "new_value_char"])
        self.assertIn(self.old_phone, repr(admin_rows), "the administrator sees the client in full")
        self.user_admin.groups_id = [(4, self.env.ref("client_guard.group_contact_details_none").id)]
        rows = values.with_user(self.user_admin).read(["old_value_char", "new_value_char", "field_id"])
        self.assertNoHistory(rows)
