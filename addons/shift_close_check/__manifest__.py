{
    "name": "Shift Close Check",
    "summary": "No closing a shift while its calls lack notes; shift reports for managers",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Client Guard Suite",
    "website": "https://github.com/client-guard/client-guard",
    "depends": ["pbx_call_capture"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/shift_close_check_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "wizard/work_shift_close_wizard_views.xml",
        "views/work_shift_views.xml",
        "views/pbx_call_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "shift_close_check/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
