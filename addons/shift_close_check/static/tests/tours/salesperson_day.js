/** @odoo-module **/
/* A salesperson's day (own level, Russian UI), issue 10: create a client with
 * the required fields and a contact, fill an empty field, be refused an
 * overwrite, log a note, plan an activity for oneself, see the calls of a
 * client, open "My shift" and close it after filling the missing notes. */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

function openCustomers() {
    return [
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
    ];
}

registry.category("web_tour.tours").add("client_guard_salesperson_day", {
    url: "/odoo",
    steps: () => [
        ...openCustomers(),
        {
            content: "new client",
            trigger: ".o_control_panel_main_buttons .o-kanban-button-new, .o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "a company",
            trigger: ".o_field_widget[name=company_type] input[data-value=company]",
            run: "click",
        },
        {
            content: "its name",
            trigger: ".o_field_widget[name=name] input",
            run: "edit ООО «Тур-Клиент»",
        },
        {
            content: "its phone (required)",
            trigger: ".o_field_widget[name=phone] input",
            run: "edit +7 495 765-43-21",
        },
        {
            content: "its e-mail (required)",
            trigger: ".o_field_widget[name=email] input",
            run: "edit office@tour-client.example",
        },
        {
            content: "add a contact",
            trigger: ".o_field_widget[name=child_ids] .o-kanban-button-new",
            run: "click",
        },
        {
            content: "the contact's name",
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Анна Контактова",
        },
        {
            content: "the contact's e-mail",
            trigger: ".modal .o_field_widget[name=email] input",
            run: "edit anna@tour-client.example",
        },
        {
            content: "the contact's phone (the form asks for it)",
            trigger: ".modal .o_field_widget[name=phone] input",
            run: "edit +7 495 765-43-22",
        },
        {
            content: "save the contact",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "the contact is on the card",
            trigger: ".o_field_widget[name=child_ids] .o_kanban_record:contains(Анна Контактова)",
        },
        {
            content: "save the client",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "saved",
            trigger: ".o_form_saved, .o_form_status_indicator:not(:has(.o_form_button_save))",
        },
        {
            content: "fill an empty field: the website",
            trigger: ".o_field_widget[name=website] input",
            run: "edit https://tour-client.example",
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
        {
            content: "try to overwrite the phone",
            trigger: ".o_field_widget[name=phone] input",
            run: "edit +7 495 000-00-00",
        },
        {
            content: "save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "refused, the message names the field in Russian",
            trigger: ".modal .modal-body:contains(«Телефон»)",
        },
        {
            content: "close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "discard the change",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            content: "the phone is back",
            trigger: ".o_field_widget[name=phone] input:value(+7 495 765-43-21)",
        },
        {
            content: "log a note (the chatter speaks Russian)",
            trigger: "button.o-mail-Chatter-logNote:contains(Заметка)",
            run: "click",
        },
        {
            content: "write the note",
            trigger: ".o-mail-Composer-input",
            run: "edit Договорились о встрече в четверг",
        },
        {
            content: "post it",
            trigger: ".o-mail-Composer-send:enabled:contains(Записать)",
            run: "click",
        },
        {
            content: "the note is in the chatter",
            trigger: ".o-mail-Message-body:contains(Договорились о встрече в четверг)",
        },
        {
            content: "schedule an activity",
            trigger: "button.o-mail-Chatter-activity",
            run: "click",
        },
        {
            content: "its summary",
            trigger: ".modal .o_field_widget[name=summary] input",
            run: "edit Отправить коммерческое предложение",
        },
        {
            content: "schedule it",
            trigger: ".modal button[name=action_schedule_activities]",
            run: "click",
        },
        {
            content: "the activity is planned",
            trigger: ".o-mail-Activity:contains(Отправить коммерческое предложение)",
        },
        // the calls of a client
        ...openCustomers(),
        {
            content: "search the client who called",
            trigger: ".o_searchview_input",
            run: "edit Звонок-Тур",
        },
        {
            content: "search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "open the client",
            trigger: ".o_kanban_record:contains(Звонок-Тур), .o_data_row:contains(Звонок-Тур)",
            run: "click",
        },
        {
            content: "the card counts two calls",
            trigger: "button[name=action_view_calls] .o_stat_value:contains(2)",
            run: "click",
        },
        {
            content: "the calls are listed",
            trigger: ".o_list_view .o_data_row:nth-child(2)",
        },
        // my shift
        {
            content: "open the Shifts menu",
            trigger: ".o_menu_sections [data-menu-xmlid='shift_close_check.menu_shift_root']",
            run: "click",
        },
        {
            content: "open My shift",
            trigger: "[data-menu-xmlid='shift_close_check.menu_my_shift']",
            run: "click",
        },
        {
            content: "close the shift",
            trigger: "button[name=action_close]",
            run: "click",
        },
        {
            content: "the wizard lists the calls needing a note",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:nth-child(2)",
        },
        {
            content: "first call: open its note",
            trigger: ".modal .o_data_row:nth-child(1) td[name=note]",
            run: "click",
        },
        {
            content: "first call: the note",
            trigger: ".modal .o_data_row:nth-child(1) [name=note] textarea, .modal .o_data_row:nth-child(1) [name=note] input",
            run: "edit Клиент просил счёт на поставку",
        },
        {
            content: "second call: open its note",
            trigger: ".modal .o_data_row:nth-child(2) td[name=note]",
            run: "click",
        },
        {
            content: "second call: the note",
            trigger: ".modal .o_data_row:nth-child(2) [name=note] textarea, .modal .o_data_row:nth-child(2) [name=note] input",
            run: "edit Уточнили сроки доставки заказа",
        },
        {
            content: "save the notes and close",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "the shift is closed",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=closed]",
        },
    ],
});
