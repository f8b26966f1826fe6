{
    "name": "PBX Call Capture",
    "summary": "Every call the PBX reports is stored, matched to its client by normalized number; "
    "unknown callers become clients; only a security officer deletes calls",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Client Guard Suite",
    "website": "https://github.com/client-guard/client-guard",
    "depends": ["client_guard", "phone_validation"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/pbx_call_capture_security.xml",
        "security/ir.model.access.csv",
        "data/pbx_call_reason_data.xml",
        "views/pbx_call_views.xml",
        "views/pbx_ingest_log_views.xml",
        "views/res_partner_views.xml",
        "views/res_users_views.xml",
        "views/res_config_settings_views.xml",
        "views/pbx_menus.xml",
    ],
    "demo": ["demo/pbx_call_capture_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "pbx_call_capture/static/src/fields/pbx_audio_field.js",
            "pbx_call_capture/static/src/fields/pbx_audio_field.xml",
        ],
    },
    "installable": True,
}
