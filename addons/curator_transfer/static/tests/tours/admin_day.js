/** @odoo-module **/
/* An administrator's day, issue 10: mark someone else's client with contacts
 * private (warned before saving), grant a user the suite's rights from the
 * user form without developer mode, archive a user who still curates
 * clients and be led to the transfer. */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

function openUsers() {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "open Settings",
            trigger: ".o_app[data-menu-xmlid='base.menu_administration']",
            run: "click",
        },
        {
            content: "Users & Companies",
            trigger: ".o_menu_sections [data-menu-xmlid='base.menu_users']",
            run: "click",
        },
        {
            content: "Users",
            trigger: ".o-dropdown--menu [data-menu-xmlid='base.menu_action_res_users']",
            run: "click",
        },
    ];
}

function openUser(name) {
    return [
        ...openUsers(),
        {
            content: "search " + name,
            trigger: ".o_searchview_input",
            run: `edit ${name}`,
        },
        {
            content: "search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "open " + name,
            trigger: `.o_list_view .o_data_row:contains(${name}) td.o_data_cell`,
            run: "click",
        },
        {
            content: "the user's form",
            trigger: `.o_form_view .o_breadcrumb:contains(${name})`,
        },
    ];
}

registry.category("web_tour.tours").add("client_guard_admin_day", {
    url: "/odoo",
    steps: () => [
        // 1. someone else's client with contacts, made private
        stepUtils.showAppsMenuItem(),
        {
            content: "open CRM",
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            run: "click",
        },
        {
            content: "open the Sales menu",
            trigger: ".o_menu_sections [data-menu-xmlid='crm.crm_menu_sales']",
            run: "click",
        },
        {
            content: "open the clients",
            trigger: ".o-dropdown--menu [data-menu-xmlid='crm.res_partner_menu_customer']",
            run: "click",
        },
        {
            content: "search the client",
            trigger: ".o_searchview_input",
            run: "edit Private Pavel Ltd",
        },
        {
            content: "search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "open it",
            trigger: ".o_kanban_record:contains(Private Pavel Ltd), .o_data_row:contains(Private Pavel Ltd)",
            run: "click",
        },
        {
            content: "the Sales & Purchase tab",
            trigger: ".o_notebook .nav-link[name=sales_purchases]",
            run: "click",
        },
        {
            content: "tick Private client",
            trigger: ".o_field_widget[name=is_private] input",
            run: "click",
        },
        {
            content: "the form warns that the client will be out of sight",
            trigger: ".modal:contains(You will no longer see this client) .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "saved",
            trigger: ".o_form_saved, .o_form_status_indicator:not(:has(.o_form_button_save))",
        },
        // 2. the suite's rights, granted from the user form (no developer mode)
        ...openUser("Newcomer Nina"),
        {
            content: "the visibility ladder: department clients",
            trigger: ".o_field_widget select:has(option:contains(Department clients))",
            run: "selectByLabel Department clients",
        },
        {
            content: "the right to plan for others",
            trigger: ".o_field_widget select:has(option:contains(Plan for others))",
            run: "selectByLabel Plan for others",
        },
        {
            content: "save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "saved",
            trigger: ".o_form_saved, .o_form_status_indicator:not(:has(.o_form_button_save))",
        },
        // 3. archive a user who still curates clients
        ...openUser("Leaving Lev"),
        {
            content: "the actions menu",
            trigger: ".o_cp_action_menus .dropdown-toggle",
            run: "click",
        },
        {
            content: "archive",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains(Archive), .o-dropdown--menu .dropdown-item:contains(Archive)",
            run: "click",
        },
        {
            content: "confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "refused: the user still curates clients; go to the transfer",
            trigger: ".modal:contains(still curates) .modal-footer button:contains(Transfer clients)",
            run: "click",
        },
        {
            content: "the successor",
            trigger: ".modal .o_field_widget[name=to_user_id] input",
            run: "edit Staying Stas",
        },
        {
            content: "pick him",
            trigger: ".ui-autocomplete .ui-menu-item a:contains(Staying Stas)",
            run: "click",
        },
        {
            content: "preview: 2 clients",
            trigger: ".modal .o_field_widget[name=preview_client_count]:contains(2)",
        },
        {
            content: "transfer",
            trigger: ".modal button[name=action_transfer]",
            run: "click",
        },
        {
            content: "the transfer record",
            trigger: ".o_form_view .o_field_widget[name=name]:contains(Staying Stas)",
        },
    ],
});
