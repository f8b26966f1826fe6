from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCallNumbersThroughTheDoor(TransactionCase):
    """A call carries its caller's number (external number, normalized
    number, caller id, display name): a copy of the client's phone, held
    back by client_guard's door like the phone itself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env.company.country_id = cls.env.ref("base.ru")
        cls.team = cls.env["crm.team"].create({"name": "Door calls"})
        cls.other_team = cls.env["crm.team"].create({"name": "Door calls elsewhere"})
        cls.seller = new_test_user(cls.env, "door_seller", groups="base.group_user,client_guard.group_scope_own")
        cls.curator = new_test_user(cls.env, "door_curator", groups="base.group_user,client_guard.group_scope_own")
        cls.accountant = new_test_user(
            cls.env, "door_accountant",
            groups="base.group_user,client_guard.group_scope_all,client_guard.group_contact_details_none")
        cls.hidden = cls.env["res.partner"].create({
            "name": "Door hidden caller", "is_company": True, "phone": "+7 903 765-43-21",
            "user_id": cls.curator.id, "team_id": cls.other_team.id})
        cls.call = cls.env["pbx.call"].create({
            "uniqueid": "door-1", "src": "89037654321", "clid": '"Door" <89037654321>',
            "external_number": "+79037654321", "phone_normalized": "+79037654321",
            "partner_id": cls.hidden.id, "user_id": cls.seller.id, "direction": "inbound"})

    def assertNoNumber(self, result):
        text = repr(result)
        for number in ("7654321", "765-43-21"):
            self.assertNotIn(number, text)

    def test_own_call_of_a_hidden_client(self):
        call = self.call.with_user(self.seller)
        self.assertNoNumber(call.read(["external_number", "phone_normalized", "src", "clid", "display_name"]))
        self.assertNoNumber(call.web_read({"display_name": {}, "external_number": {},
                                           "partner_id": {"fields": {"display_name": {}}}}))
        groups = self.env["pbx.call"].with_user(self.seller).read_group([], ["phone_normalized"], ["phone_normalized"])
        self.assertNoNumber(groups)

    def test_e164_of_a_client_without_contact_details(self):
        values = self.hidden.with_user(self.accountant).read(["name", "phone_e164", "mobile_e164", "phone"])[0]
        self.assertEqual(values["name"], self.hidden.name)
        self.assertNoNumber(values)
        self.assertNoNumber(self.call.with_user(self.accountant).read(["external_number", "phone_normalized"]))
        self.assertEqual(self.hidden.phone_e164, "+79037654321", "stored for the PBX's matching on the server")

    def test_name_search_of_calls(self):
        found = self.env["pbx.call"].with_user(self.seller).name_search("")
        self.assertIn(self.call.id, [row[0] for row in found])
        self.assertNoNumber(found)
