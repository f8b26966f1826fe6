{
    "name": "Client Guard",
    "summary": "Protect the client base: curators, departments, visibility levels, "
    "private clients, append-only editing, no deleting, no mass operations, no export",
    "version": "18.0.1.0.1",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Client Guard Suite",
    "website": "https://github.com/client-guard/client-guard",
    "depends": ["crm", "privacy_lookup"],
    "external_dependencies": {"python": []},
    "data": [
        "security/client_guard_security.xml",
        "security/ir.model.access.csv",
        "views/res_partner_views.xml",
        "views/res_users_views.xml",
        "views/res_partner_curator_history_views.xml",
        "views/client_guard_security_event_views.xml",
        "views/client_guard_menus.xml",
        "data/client_guard_data.xml",
        "data/client_guard_digest.xml",
    ],
    "demo": [
        "demo/client_guard_demo.xml",
    ],
    "installable": True,
    "application": False,
}
