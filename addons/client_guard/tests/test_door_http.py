"""The door over real HTTP, as each role: pictures (``/web/image``,
``/web/content``), reports on several clients (``/report/pdf``), the chatter
(``/mail/thread/messages``)."""

import base64
import io
import json

from PIL import Image

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .test_door_paths import ReportCase


def red_png(size=256):
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), (230, 10, 10)).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue())


def is_red(content):
    image = Image.open(io.BytesIO(content)).convert("RGB")
    red, green, blue = image.getpixel((image.width // 2, image.height // 2))
    return red > 180 and green < 60 and blue < 60


@tagged("post_install", "-at_install")
class TestDoorOverHttp(HttpCase, ReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_own.image_1920 = red_png()
        cls.attachment = cls.env["ir.attachment"].sudo().search([
            ("res_model", "=", "res.partner"), ("res_id", "=", cls.client_own.id), ("res_field", "=", "image_1920")])
        cls.levels = [  # (user, what they get: True = the client's picture)
            (cls.user_own, True), (cls.user_dept, True), (cls.user_all, True), (cls.user_admin, True),
            (cls.masked, False), (cls.accountant, False), (cls.user_own2, False),
        ]

    def urls(self):
        pid = self.client_own.id
        urls = [f"/web/image/res.partner/{pid}/{field}" for field in ("avatar_128", "image_128", "image_1920",
                                                                     "avatar_1920", "image_512")]
        urls += [f"/web/image?model=res.partner&id={pid}&field=image_1024",
                 f"/web/content/res.partner/{pid}/image_1920", f"/web/image/{self.attachment.id}"]
        return urls

    @mute_logger("odoo.http")
    def test_pictures_follow_the_contact_detail_level(self):
        self.assertTrue(self.attachment, "the picture is stored as an attachment")
        for user, sees in self.levels:
            self.authenticate(user.login, user.login)
            for url in self.urls():
                with self.subTest(user=user.login, url=url):
                    response = self.url_open(url)
                    if response.status_code != 200:
                        self.assertFalse(sees, f"{response.status_code} for a user who sees the picture")
                        continue
                    self.assertEqual(is_red(response.content), sees)
        self.assertTrue(self.client_own.image_1920, "nothing changed")

    @mute_logger("odoo.http", "odoo.addons.client_guard.models.client_guard_security_event")
    def test_report_route_on_several_clients(self):
        two = f"{self.client_own.id},{self.client_b.id}"
        for user in (self.user_all, self.masked):
            self.authenticate(user.login, user.login)
            for kind in ("pdf", "html"):
                with self.subTest(user=user.login, kind=kind):
                    response = self.url_open(f"/report/{kind}/{self.report.report_name}/{two}")
                    self.assertNotEqual(response.status_code, 200)
                    self.assertNotIn("495 111-11-11", response.text)
                    self.assertNotIn("495 ***-**-11", response.text)
                    one = self.url_open(f"/report/{kind}/{self.report.report_name}/{self.client_own.id}")
                    self.assertEqual(one.status_code, 200)
                    self.assertIn("+7 495", one.text)

    def test_chatter_messages_as_each_role(self):
        client = self.client_own.with_context(tracking_disable=False, mail_notrack=False)
        client.message_post(body=f"Call {client.phone} or {client.email}", message_type="comment",
                            subtype_xmlid="mail.mt_note")
        client.write({"phone": "+7 495 333-33-33"})
        self.env.flush_all()
        self.env.cr.precommit.run()
        for user, full in ((self.user_own, True), (self.masked, False), (self.accountant, False)):
            with self.subTest(user=user.login):
                self.authenticate(user.login, user.login)
                response = self.url_open(
                    "/mail/thread/messages",
                    data=json.dumps({"params": {"thread_model": "res.partner", "thread_id": self.client_own.id,
                                                "limit": 30}}),
                    headers={"Content-Type": "application/json"})
                self.assertEqual(response.status_code, 200)
                text = response.text
                self.assertIn("Call", text, "the message comes back")
                for secret in ("495 111-11-11", "495 333-33-33", "own@client.example"):
                    self.assertEqual(secret in text, full, f"{secret} for {user.login}")
