/** @odoo-module **/
/* A department head hands a leaving employee's clients over, issue 10:
 * the transfer wizard from CRM > Transfers, its preview figures, the
 * transfer, the history from the menu, and the revert. */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

function openTransfersMenu(entry) {
    return [
        {
            content: "open the Transfers menu",
            trigger: ".o_menu_sections [data-menu-xmlid='curator_transfer.menu_curator_transfer_root']",
            run: "click",
        },
        {
            content: "open " + entry,
            trigger: `[data-menu-xmlid='curator_transfer.${entry}']`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("client_guard_head_transfer", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "open CRM",
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            run: "click",
        },
        ...openTransfersMenu("menu_curator_transfer_wizard"),
        {
            content: "who leaves",
            trigger: ".modal .o_field_widget[name=from_user_id] input",
            run: "edit Leaving Larisa",
        },
        {
            content: "pick her",
            trigger: ".ui-autocomplete .ui-menu-item a:contains(Leaving Larisa)",
            run: "click",
        },
        {
            content: "who takes over",
            trigger: ".modal .o_field_widget[name=to_user_id] input",
            run: "edit Successor Sasha",
        },
        {
            content: "pick him",
            trigger: ".ui-autocomplete .ui-menu-item a:contains(Successor Sasha)",
            run: "click",
        },
        {
            content: "preview: 3 clients",
            trigger: ".modal .o_field_widget[name=preview_client_count]:contains(3)",
        },
        {
            content: "preview: 2 contacts",
            trigger: ".modal .o_field_widget[name=preview_contact_count]:contains(2)",
        },
        {
            content: "preview: 2 open opportunities",
            trigger: ".modal .o_field_widget[name=preview_opportunity_count]:contains(2)",
        },
        {
            content: "preview: 4 activities",
            trigger: ".modal .o_field_widget[name=preview_activity_count]:contains(4)",
        },
        {
            content: "preview: the successor takes the 3 clients",
            trigger: ".modal .o_field_widget[name=preview_html] td:contains(Successor Sasha)",
        },
        {
            content: "the reason",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Leaves the company",
        },
        {
            content: "transfer",
            trigger: ".modal button[name=action_transfer]",
            run: "click",
        },
        {
            content: "the transfer record",
            trigger: ".o_form_view .o_field_widget[name=name]:contains(Leaving Larisa)",
        },
        ...openTransfersMenu("menu_curator_transfer"),
        {
            content: "open the transfer from the history",
            trigger: ".o_list_view .o_data_row:first-child td.o_data_cell",
            run: "click",
        },
        {
            content: "revert",
            trigger: "button[name=action_revert]",
            run: "click",
        },
        {
            content: "confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "reverted",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=reverted]",
        },
    ],
});
