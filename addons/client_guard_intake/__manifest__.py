{
    "name": "Client Guard Intake",
    "summary": "Gather the managers' own spreadsheets into the base without duplicates; deputies",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Client Guard Suite",
    "website": "https://github.com/client-guard/client-guard",
    "depends": ["client_guard", "base_import", "phone_validation"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/client_guard_intake_security.xml",
        "security/ir.model.access.csv",
        "data/client_guard_intake_data.xml",
        "views/client_guard_intake_views.xml",
        "views/client_guard_intake_line_views.xml",
        "views/curator_deputy_views.xml",
        "views/res_config_settings_views.xml",
        "views/client_guard_intake_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "client_guard_intake/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
