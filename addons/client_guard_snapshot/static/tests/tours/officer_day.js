/** @odoo-module **/
/* The security officer's day in their own app, issue 10: the security log,
 * delete a call and find its trace, take a snapshot now, restore a deleted
 * client from an earlier snapshot. */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

function openMenu(section, xmlid) {
    return [
        {
            content: "open the section " + section,
            trigger: `.o_menu_sections [data-menu-xmlid='${section}']`,
            run: "click",
        },
        {
            content: "open " + xmlid,
            trigger: `.o-dropdown--menu [data-menu-xmlid='${xmlid}']`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("client_guard_officer_day", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "open the Client base security app",
            trigger: ".o_app[data-menu-xmlid='client_guard.menu_client_guard_root']",
            run: "click",
        },
        ...openMenu("client_guard.menu_client_guard_logs", "client_guard.menu_client_guard_security_event"),
        {
            content: "the security log lists the refused attempt",
            trigger: ".o_list_view .o_data_row:contains(Sneaky Semyon)",
        },
        ...openMenu("pbx_call_capture.menu_pbx_call_officer_root", "pbx_call_capture.menu_pbx_call_officer"),
        {
            content: "open the call to delete",
            trigger: ".o_list_view .o_data_row:contains(Calling Cyril Ltd) td.o_data_cell",
            run: "click",
        },
        {
            content: "the actions menu",
            trigger: ".o_cp_action_menus button",
            run: "click",
        },
        {
            content: "delete",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains(Delete)",
            run: "click",
        },
        {
            content: "confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the call is gone (the next one shows)",
            trigger: ".o_form_view:not(:has(.o_field_widget[name=partner_id]:contains(Calling Cyril Ltd)))",
        },
        ...openMenu("pbx_call_capture.menu_pbx_call_officer_root", "pbx_call_capture.menu_pbx_call_deletion_officer"),
        {
            content: "the deleted call's trace",
            trigger: ".o_list_view .o_data_row:contains(Calling Cyril Ltd)",
        },
        ...openMenu("client_guard_snapshot.menu_client_guard_snapshot_root", "client_guard_snapshot.menu_client_guard_snapshot"),
        {
            content: "take a snapshot now",
            trigger: ".o_list_view button[name=action_take_snapshot], .o_control_panel button[name=action_take_snapshot]",
            run: "click",
        },
        {
            content: "the new snapshot",
            trigger: ".o_form_view .o_field_widget[name=state]",
        },
        ...openMenu("client_guard_snapshot.menu_client_guard_snapshot_root", "client_guard_snapshot.menu_client_guard_snapshot_restore"),
        {
            content: "choose the earlier snapshot",
            trigger: ".modal .o_field_widget[name=snapshot_id] input",
            run: "edit Before the deletion",
        },
        {
            content: "pick it",
            trigger: ".ui-autocomplete .ui-menu-item a:contains(Before the deletion)",
            run: "click",
        },
        {
            content: "the deleted client is offered",
            trigger: ".modal .o_data_row:contains(Deleted Dmitri Ltd)",
        },
        {
            content: "restore",
            trigger: ".modal button[name=action_restore]",
            run: "click",
        },
        {
            content: "done",
            trigger: "body:not(:has(.modal button[name=action_restore]))",
        },
    ],
});
