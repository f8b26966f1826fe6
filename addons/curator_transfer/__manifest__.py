{
    "name": "Curator Transfer",
    "summary": "Hand a leaving employee's clients, deals and tasks to successors in one step",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Client Guard Suite",
    "website": "https://github.com/client-guard/client-guard",
    "depends": ["client_guard"],
    "data": [
        "security/curator_transfer_security.xml",
        "security/ir.model.access.csv",
        "wizard/curator_transfer_wizard_views.xml",
        "views/curator_transfer_views.xml",
        "views/res_users_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": ["demo/curator_transfer_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "curator_transfer/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
