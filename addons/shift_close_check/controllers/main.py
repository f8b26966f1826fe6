from odoo import fields, http
from odoo.http import content_disposition, request


class ShiftReportController(http.Controller):
    @http.route("/shift_close_check/report.xlsx", type="http", auth="user", methods=["GET"])
    def shift_report_xlsx(self, date_from=None, date_to=None, team_id=None, **kwargs):
        today = fields.Date.context_today(request.env.user)
        date_from = fields.Datetime.to_datetime(date_from or today.replace(day=1))
        date_to = fields.Datetime.to_datetime(date_to) if date_to else fields.Datetime.now()
        content = request.env["work.shift"]._report_xlsx(date_from, date_to, int(team_id) if team_id else False)
        return request.make_response(content, headers=[
            ("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("Content-Disposition", content_disposition("shift-report.xlsx")),
        ])
