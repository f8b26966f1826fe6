/** @odoo-module **/
/* A department head's shifts, issue 10: force-close an employee's shift
 * with a reason, then download the shift report. */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

function openShiftsMenu(entry) {
    return [
        {
            content: "open the Shifts menu",
            trigger: ".o_menu_sections [data-menu-xmlid='shift_close_check.menu_shift_root']",
            run: "click",
        },
        {
            content: "open " + entry,
            trigger: `[data-menu-xmlid='shift_close_check.${entry}']`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("client_guard_head_shifts", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "open CRM",
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            run: "click",
        },
        ...openShiftsMenu("menu_work_shift"),
        {
            content: "open the employee's open shift",
            trigger: ".o_list_view .o_data_row:contains(Forgetful Fedor) td.o_data_cell",
            run: "click",
        },
        {
            content: "force close",
            trigger: ".o_statusbar_buttons button:contains(Force close)",
            run: "click",
        },
        {
            content: "the reason",
            trigger: ".modal .o_field_widget[name=reason] textarea, .modal .o_field_widget[name=reason] input",
            run: "edit Went home ill, notes tomorrow",
        },
        {
            content: "confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "force-closed",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=force_closed]",
        },
        {
            content: "the reason is shown",
            trigger: ".o_field_widget[name=force_reason]:contains(Went home ill)",
        },
        ...openShiftsMenu("menu_work_shift_report_xlsx"),
        {
            content: "the report is downloaded, the page stays",
            trigger: ".o_menu_sections [data-menu-xmlid='shift_close_check.menu_shift_root']",
        },
    ],
});
