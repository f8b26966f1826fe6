{
    "name": "Client Guard Audit",
    "summary": "The security officer's audit log: who changed which client data, how and when",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Client Guard Suite",
    "website": "https://github.com/client-guard/client-guard",
    "depends": ["client_guard", "curator_transfer", "pbx_call_capture"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/ir.model.access.csv",
        "security/client_guard_audit_security.xml",
        "data/client_guard_audit_data.xml",
        "views/client_guard_audit_log_views.xml",
        "views/client_guard_audit_rule_views.xml",
        "views/client_guard_audit_export_views.xml",
        "views/res_config_settings_views.xml",
        "views/client_guard_audit_menus.xml",
    ],
    "demo": [
        "demo/client_guard_audit_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "client_guard_audit/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": False,
}
