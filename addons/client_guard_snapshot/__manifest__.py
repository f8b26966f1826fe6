{
    "name": "Client Guard Snapshot",
    "summary": "Nightly snapshots of the client base; re-create deleted clients from them",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Client Guard Suite",
    "website": "https://github.com/client-guard/client-guard",
    "depends": ["client_guard", "pbx_call_capture"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/ir.model.access.csv",
        "data/client_guard_snapshot_data.xml",
        "wizard/client_guard_snapshot_restore_views.xml",
        "views/client_guard_snapshot_views.xml",
        "views/res_config_settings_views.xml",
        "views/client_guard_snapshot_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "client_guard_snapshot/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
