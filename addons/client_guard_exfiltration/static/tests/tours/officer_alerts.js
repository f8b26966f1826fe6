/** @odoo-module **/
/* The security officer reaches the client read alerts from their own app
 * and releases a blocked user (issue 10). */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("client_guard_officer_alerts", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "open the Client base security app",
            trigger: ".o_app[data-menu-xmlid='client_guard.menu_client_guard_root']",
            run: "click",
        },
        {
            content: "Client reads",
            trigger: ".o_menu_sections [data-menu-xmlid='client_guard_exfiltration.menu_client_guard_exfiltration_root']",
            run: "click",
        },
        {
            content: "Alerts",
            trigger: ".o-dropdown--menu [data-menu-xmlid='client_guard_exfiltration.menu_client_guard_exfiltration_alert']",
            run: "click",
        },
        {
            content: "the blocked reader",
            trigger: ".o_list_view .o_data_row:contains(Reader Roma) td.o_data_cell",
            run: "click",
        },
        {
            content: "release",
            trigger: ".o_form_view button[name=action_release]",
            run: "click",
        },
        {
            content: "confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "released",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=released]",
        },
    ],
});
