/** @odoo-module **/
/* A department-level salesperson opens a colleague's private client from the
 * Customers menu (Russian UI, issue 13): the card shows the trusted users and
 * the curator history, newest first with the curators' names; a client of
 * another department is not found. */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("client_guard_department_card", {
    url: "/odoo",
    steps: () => [
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
            trigger: ".o-dropdown-item[data-menu-xmlid='crm.res_partner_menu_customer'], a[data-menu-xmlid='crm.res_partner_menu_customer']",
            run: "click",
        },
        {
            content: "search the other department's client",
            trigger: ".o_searchview_input",
            run: "edit ООО «Чужой отдел»",
        },
        {
            content: "search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "not found",
            trigger: ".o_view_nocontent, .o_nocontent_help",
        },
        {
            content: "clear the search",
            trigger: ".o_searchview .o_facet_remove",
            run: "click",
        },
        {
            content: "search the colleague's private client",
            trigger: ".o_searchview_input",
            run: "edit ООО «Карточка»",
        },
        {
            content: "search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "open its card",
            trigger: ".o_kanban_record:contains(ООО «Карточка»), .o_data_row:contains(ООО «Карточка»)",
            run: "click",
        },
        {
            content: "open the Sales & Purchase page",
            trigger: ".o_form_view .o_notebook_headers a[name=sales_purchases]",
            run: "click",
        },
        {
            content: "the card is open, private",
            trigger: ".o_form_view .o_field_widget[name=is_private] input:checked",
        },
        {
            content: "the trusted user is shown",
            trigger: ".o_field_widget[name=trusted_user_ids] .o_tag, .o_field_widget[name=trusted_user_ids] img",
        },
        {
            content: "open the curator history",
            trigger: ".o_notebook_headers a[name=curator_history]:contains(История кураторов)",
            run: "click",
        },
        {
            content: "two lines, the current curator first",
            trigger: ".o_field_widget[name=curator_history_ids] .o_data_row:nth-child(1):contains(Коллега Колин)",
        },
        {
            content: "the first curator on the second line",
            trigger: ".o_field_widget[name=curator_history_ids] .o_data_row:nth-child(2):contains(Первый Пётр)",
        },
    ],
});
