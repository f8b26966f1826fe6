/** @odoo-module **/
/* The security officer reaches the audit log from their own app (issue 10). */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("client_guard_officer_audit", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "open the Client base security app",
            trigger: ".o_app[data-menu-xmlid='client_guard.menu_client_guard_root']",
            run: "click",
        },
        {
            content: "Logs",
            trigger: ".o_menu_sections [data-menu-xmlid='client_guard.menu_client_guard_logs']",
            run: "click",
        },
        {
            content: "Audit log",
            trigger: ".o-dropdown--menu [data-menu-xmlid='client_guard_audit.menu_client_guard_audit_log']",
            run: "click",
        },
        {
            content: "the change of the client's e-mail",
            trigger: ".o_list_view .o_data_row:contains(Audited Anton Ltd):contains(changed@anton.example) td.o_data_cell",
            run: "click",
        },
        {
            content: "who made it",
            trigger: ".o_form_view .o_field_widget[name=user_id]:contains(Changing Chris)",
        },
    ],
});
