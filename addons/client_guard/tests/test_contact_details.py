from odoo.tests import new_test_user, tagged

from ..models.contact_details import mask_email, mask_phone
from .common import ClientGuardCase

DISPLAY_CONTEXT = {"show_email": 1, "show_address": 1, "show_vat": 1, "address_inline": 1}


class DetailsCase(ClientGuardCase):
    """Clients with every contact detail; each role with the client it must
    not see (hidden) and one it sees."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env, "cg_accountant",
            groups="base.group_user,client_guard.group_scope_all,client_guard.group_contact_details_none,"
            "sales_team.group_sale_salesman_all_leads")
        cls.masked = new_test_user(
            cls.env, "cg_masked",
            groups="base.group_user,client_guard.group_scope_all,client_guard.group_contact_details_masked")
        details = {
            cls.client_b: ("b-secret@hidden-b.example", "+7 903 123-45-67", "Hidden Street 7", "RU7701234567"),
            cls.client_private: ("p-secret@hidden-p.example", "+7 916 765-43-21", "Private Lane 3", "RU7707654321"),
            cls.client_own: ("own@client.example", "+7 495 111-11-11", "Visible Street 1", "RU7700000011"),
        }
        for client, (email, phone, street, vat) in details.items():
            client.write({"email": email, "phone": phone, "mobile": phone.replace("+7", "8"),
                          "street": street, "zip": "101" + phone[-3:] + "9", "vat": vat, "city": "Tver"})
        cls.env["res.partner.bank"].create({"partner_id": cls.client_b.id, "acc_number": "40702810900000000042"})
        # each role, the client it must not see
        cls.roles = [
            (cls.user_own, cls.client_b),
            (cls.user_dept, cls.client_b),
            (cls.user_all, cls.client_private),
            (cls.user_admin, cls.client_private),
            (cls.accountant, cls.client_private),
        ]

    def secrets(self, client, name=True):
        values = [client.email, client.phone, client.mobile, client.street, client.zip, client.vat,
                  "".join(ch for ch in client.phone if ch.isdigit())]
        values += client.bank_ids.mapped("acc_number")
        if name:
            values.append(client.name)
        return values

    def assertNoSecrets(self, result, client, name=True, msg=""):
        text = repr(result)
        for secret in self.secrets(client, name=name):
            self.assertNotIn(secret, text, f"{secret!r} of {client.name} came back {msg}")


@tagged("post_install", "-at_install")
class TestContactDetailsDoor(DetailsCase):
    def test_door_levels(self):
        Partner = self.env["res.partner"]
        self.assertEqual(Partner.with_user(self.user_own).browse(self.client_b.id)._client_guard_detail_access(),
                         {self.client_b.id: "hidden"})
        self.assertEqual(Partner.with_user(self.user_own).browse(self.client_own.id)._client_guard_detail_access(),
                         {self.client_own.id: "full"})
        self.assertEqual(Partner.with_user(self.accountant).browse(self.client_b.id)._client_guard_detail_access(),
                         {self.client_b.id: "none"})
        self.assertEqual(Partner.with_user(self.masked).browse(self.client_b.id)._client_guard_detail_access(),
                         {self.client_b.id: "masked"})
        # the partners of users and of the company are not clients
        me = self.user_own.partner_id
        self.assertEqual(Partner.with_user(self.accountant).browse(me.id)._client_guard_detail_access(),
                         {me.id: "full"})

    def test_masking(self):
        self.assertEqual(mask_phone("+7 903 123-45-45"), "+7 903 ***-**-45")
        self.assertEqual(mask_phone("+79031234545"), "+7903*****45")
        self.assertEqual(mask_email("ivanov@domain.ru"), "i***@d***.ru")

    def test_onchange_with_a_hidden_client(self):
        spec = {"partner_id": {"fields": {"display_name": {}}}, "email_from": {}, "phone": {},
                "partner_name": {}, "contact_name": {}, "street": {}, "zip": {}, "city": {}}
        for user, hidden in self.roles:
            with self.subTest(user=user.login):
                Lead = self.env["crm.lead"].with_user(user)
                result = Lead.onchange({"partner_id": hidden.id}, ["partner_id"], spec)
                self.assertNoSecrets(result, hidden, msg=f"from crm.lead.onchange as {user.login}")
                first = Lead.onchange({"partner_id": hidden.id, "type": "opportunity"}, [], spec)
                self.assertNoSecrets(first, hidden, msg=f"from the first onchange as {user.login}")
                defaults = Lead.with_context(default_partner_id=hidden.id).onchange({}, [], spec)
                self.assertNoSecrets(defaults, hidden, msg=f"from default_partner_id as {user.login}")
        # control: a visible client still fills the form in
        result = self.env["crm.lead"].with_user(self.user_own).onchange(
            {"partner_id": self.client_own.id}, ["partner_id"], spec)
        self.assertEqual(result["value"]["email_from"], self.client_own.email)

    def test_default_get_with_a_hidden_client(self):
        for user, hidden in self.roles:
            with self.subTest(user=user.login):
                Lead = self.env["crm.lead"].with_user(user).with_context(
                    default_partner_id=hidden.id, default_email_from=hidden.email, default_phone=hidden.phone)
                self.assertNoSecrets(Lead.default_get(["partner_id", "email_from", "phone"]), hidden, name=False)

    def test_display_name_keys(self):
        # a link to a hidden client on a record the user reads (an opportunity assigned to them)
        for user, hidden in self.roles:
            with self.subTest(user=user.login):
                lead = self.env["crm.lead"].create({
                    "name": "Assigned", "type": "opportunity", "partner_id": hidden.id, "user_id": user.id})
                lead = lead.with_user(user)
                if not lead.has_access("read"):
                    continue  # opportunities of private clients stay hidden even when assigned
                result = lead.web_read({
                    "partner_id": {"fields": {"display_name": {}}, "context": DISPLAY_CONTEXT},
                    "email_from": {}, "phone": {}, "street": {}, "zip": {},
                })
                self.assertNoSecrets(result, hidden, name=False, msg=f"on an assigned lead as {user.login}")
                self.assertNoSecrets(lead.with_context(**DISPLAY_CONTEXT).read(["partner_id", "email_from"]),
                                     hidden, name=False)
        # a visible client with no contact details for the accountant, masked for the masked user
        name = self.env["res.partner"].with_user(self.accountant).with_context(**DISPLAY_CONTEXT).browse(
            self.client_own.id).display_name
        self.assertEqual(name, self.client_own.name)
        name = self.env["res.partner"].with_user(self.masked).with_context(show_email=1).browse(
            self.client_own.id).display_name
        self.assertEqual(name, f"{self.client_own.name} <o***@c***.example>")
        name = self.env["res.partner"].with_user(self.user_own).with_context(show_email=1).browse(
            self.client_own.id).display_name
        self.assertEqual(name, f"{self.client_own.name} <{self.client_own.email}>")

    def test_read_group_by_email_and_phone(self):
        self.env["crm.lead"].create({"name": "Pool", "type": "opportunity", "partner_id": self.client_b.id,
                                     "user_id": self.user_own.id})
        for user, hidden in self.roles:
            with self.subTest(user=user.login):
                for model, fname in (("crm.lead", "email_from"), ("crm.lead", "phone"),
                                     ("res.partner", "email"), ("res.partner", "phone")):
                    groups = self.env[model].with_user(user).read_group([], [fname], [fname])
                    self.assertNoSecrets(groups, hidden, name=False, msg=f"{model} by {fname}")
        groups = self.env["res.partner"].with_user(self.accountant).read_group(
            [("id", "=", self.client_own.id)], ["phone"], ["phone"])
        self.assertNoSecrets(groups, self.client_own, name=False)
        self.assertEqual(groups[0]["phone_count"], 1)

    def test_contact_detail_levels(self):
        fields = ["name", "email", "phone", "mobile", "street", "zip", "city", "vat", "image_128",
                  "email_normalized", "phone_sanitized", "contact_address", "bank_ids"]
        full = self.client_own.with_user(self.user_all).read(fields)[0]
        self.assertEqual((full["email"], full["phone"], full["street"]),
                         (self.client_own.email, self.client_own.phone, self.client_own.street))
        none = self.client_own.with_user(self.accountant).read(fields)[0]
        self.assertEqual(none["name"], self.client_own.name, "the accountant sees the client's name")
        self.assertNoSecrets(none, self.client_own, name=False)
        self.assertFalse(none["city"])
        masked = self.client_own.with_user(self.masked).read(fields)[0]
        self.assertEqual(masked["phone"], "+7 495 ***-**-11")
        self.assertEqual(masked["email"], "o***@c***.example")
        self.assertNoSecrets(masked, self.client_own, name=False)
        bank = self.client_b.bank_ids.with_user(self.accountant).read(["acc_number", "partner_id"])
        self.assertNotIn("40702810900000000042", repr(bank))

    def test_bank_accounts_flag_follows_the_accounts(self):
        """The door reads bank accounts only of partners flagged as holding
        some: the flag follows accounts created, archived (still a detail),
        moved to another partner and deleted, and an account number quoted in
        a value is masked in every case."""
        Bank = self.env["res.partner.bank"]
        self.assertTrue(self.client_b.client_guard_has_bank_account)
        self.assertFalse(self.client_own.client_guard_has_bank_account)
        account = Bank.create({"partner_id": self.client_own.id, "acc_number": "40702810900000000077"})
        self.assertTrue(self.client_own.client_guard_has_bank_account)
        note = self.client_own.with_user(self.masked).web_read({"comment": {}, "bank_ids": {
            "fields": {"acc_number": {}}}})
        self.assertNotIn("40702810900000000077", repr(note))
        account.active = False
        self.assertTrue(self.client_own.client_guard_has_bank_account, "an archived account is still a detail")
        self.assertIn("40702810900000000077", self.env["res.partner"]._client_guard_secrets(
            [self.client_own.id])[self.client_own.id]["texts"])
        account.partner_id = self.client_dept
        self.assertFalse(self.client_own.client_guard_has_bank_account)
        self.assertTrue(self.client_dept.client_guard_has_bank_account)
        self.client_dept.comment = "Pay to 40702810900000000077"
        self.env.invalidate_all()
        read = self.client_dept.with_user(self.masked).read(["comment"])[0]["comment"]
        self.assertNotIn("40702810900000000077", str(read))
        account.unlink()
        self.assertFalse(self.client_dept.client_guard_has_bank_account)

    def test_company_masks_salespeople(self):
        self.env.company.client_guard_mask_details = True
        own = self.client_own.with_user(self.user_own).read(["phone", "email"])[0]
        self.assertEqual(own["phone"], "+7 495 ***-**-11")
        head = self.client_own.with_user(self.user_head).read(["phone"])[0]
        self.assertEqual(head["phone"], self.client_own.phone, "heads who manage curators see the numbers")
        admin = self.client_own.with_user(self.user_admin).read(["phone"])[0]
        self.assertEqual(admin["phone"], self.client_own.phone)

    def test_accountant_sees_deals_with_client_names(self):
        lead = self.env["crm.lead"].create({"name": "Deal", "type": "opportunity", "partner_id": self.client_own.id,
                                            "user_id": self.user_own.id})
        result = lead.with_user(self.accountant).web_read({
            "partner_id": {"fields": {"display_name": {}}}, "email_from": {}, "phone": {}, "partner_name": {}})[0]
        self.assertEqual(result["partner_id"]["display_name"], self.client_own.name)
        self.assertFalse(result["email_from"])
        self.assertFalse(result["phone"])

    def test_export_goes_through_the_door(self):
        self.accountant.groups_id = [(4, self.env.ref("base.group_allow_export").id)]
        data = self.client_own.with_user(self.accountant).export_data(["name", "email", "phone"])
        self.assertNoSecrets(data, self.client_own, name=False)
        self.assertIn(self.client_own.name, repr(data))

    def test_superuser_and_server_code_untouched(self):
        self.assertEqual(self.client_b.read(["phone"])[0]["phone"], self.client_b.phone)
        self.assertEqual(self.client_b.with_user(self.accountant).sudo().phone, self.client_b.phone)
