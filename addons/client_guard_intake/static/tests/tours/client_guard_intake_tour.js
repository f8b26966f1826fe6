/** @odoo-module **/

import { registry } from "@web/core/registry";

// A head previews a manager's list and imports it (the intake is prepared by the test).
registry.category("web_tour.tours").add("client_guard_intake_tour", {
    steps: () => [
        {
            content: "preview the list",
            trigger: ".o_form_view button[name='action_preview']",
            run: "click",
        },
        {
            content: "open the rows of the preview",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Rows')",
            run: "click",
        },
        {
            content: "the new client is listed",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains('Tour new client')",
        },
        {
            content: "the private client is shown without its name",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains('A client already in the base (private)')",
        },
        {
            content: "import",
            trigger: ".o_form_view button[name='action_confirm']",
            run: "click",
        },
        {
            content: "confirm the import",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "imported",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Imported')",
        },
    ],
});

// The deputy finds the away curator's client among the clients.
registry.category("web_tour.tours").add("client_guard_deputy_tour", {
    steps: () => [
        {
            content: "search the curator's client",
            trigger: ".o_searchview_input",
            run: "edit Tour deputised client",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "open it",
            trigger: ".o_kanban_record:contains('Tour deputised client'), .o_data_row:contains('Tour deputised client')",
            run: "click",
        },
        {
            content: "the client's card opens for the deputy",
            trigger: ".o_form_view .o_field_widget[name='name']:contains('Tour deputised client'), .o_form_view .o_field_widget[name='name'] input",
        },
    ],
});
