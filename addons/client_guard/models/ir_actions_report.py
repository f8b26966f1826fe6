from odoo import _, models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _client_guard_scrub_report(self, report_ref, docids, content):
        """A rendered report carries the contact details of the partners its
        records link: through the door like any other returned value. A
        report that carries the details of several clients at once is an
        export and needs the export right (the door decides, and counts the
        clients whose details go out)."""
        if not docids or not content or not self.env["base"]._client_guard_door_applies():
            return content
        report = self._get_report(report_ref)
        if report.model not in self.env:
            return content
        records = self.env[report.model].browse(docids)
        partners = records._client_guard_linked_partners()
        if not partners:
            return content
        text = content.decode() if isinstance(content, bytes) else str(content)
        bulk = _("Report %s", report.name) if len(set(docids)) > 1 else None
        scrubbed = self.env["res.partner"]._client_guard_scrub(text, partners, bulk=bulk) or ""
        if scrubbed == text:
            return content
        return scrubbed.encode() if isinstance(content, bytes) else type(content)(scrubbed)

    def _render_qweb_html(self, report_ref, docids, data=None):
        # PDF reports are rendered from this HTML too
        content, report_type = super()._render_qweb_html(report_ref, docids, data=data)
        return self._client_guard_scrub_report(report_ref, docids, content), report_type

    def _render_qweb_text(self, report_ref, docids, data=None):
        content, report_type = super()._render_qweb_text(report_ref, docids, data=data)
        return self._client_guard_scrub_report(report_ref, docids, content), report_type
