{
    "name": "Client Guard: Exfiltration Guard",
    "summary": "Alert on and block users who read too many clients in a short time",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Client Guard Suite",
    "website": "https://github.com/client-guard/client-guard",
    "depends": ["client_guard", "mail"],
    "external_dependencies": {"python": []},
    "data": [
        "security/client_guard_exfiltration_security.xml",
        "security/ir.model.access.csv",
        "data/client_guard_exfiltration_data.xml",
        "views/client_guard_exfiltration_alert_views.xml",
        "views/client_guard_exfiltration_threshold_views.xml",
        "views/client_guard_exfiltration_mark_views.xml",
        "views/res_users_views.xml",
        "views/client_guard_exfiltration_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "client_guard_exfiltration/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": False,
}
