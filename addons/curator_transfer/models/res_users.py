from odoo import _, models
from odoo.exceptions import RedirectWarning


class ResUsers(models.Model):
    _inherit = "res.users"

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            self._curator_transfer_check_archive()
        return super().write(vals)

    def _curator_transfer_check_archive(self):
        if self.env["ir.config_parameter"].sudo().get_param("curator_transfer.allow_archive_with_clients"):
            return
        Partner = self.env["res.partner"].sudo().with_context(active_test=True)
        for user in self.filtered("active"):
            count = Partner.search_count(
                [("user_id", "=", user.id), ("is_client", "=", True), ("parent_id", "=", False)]
            )
            if count:
                action = user.action_open_curator_transfer()
                message = _(
                    "%(user)s still curates %(count)s clients. Transfer them to a successor before "
                    "archiving the user.",
                    user=user.name,
                    count=count,
                )
                hidden = self.env["curator.transfer.wizard"]._hidden_private_note(user)
                if hidden:
                    message += "\n" + hidden
                raise RedirectWarning(
                    message,
                    action,
                    _("Transfer clients"),
                )

    def action_open_curator_transfer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Transfer clients"),
            "res_model": "curator.transfer.wizard",
            "view_mode": "form",
            # the web client runs a RedirectWarning's action as is: it needs the views
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_from_user_id": self.id, "curator_transfer_from_user": True},
        }
