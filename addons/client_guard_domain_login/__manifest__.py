{
    "name": "Client Guard: Windows Domain Sign-in",
    "summary": "Sign in with the domain account: directory passwords (LDAP), Kerberos single sign-on "
    "through a proxy, visibility levels and departments from directory groups, leavers locked out",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Client Guard Suite",
    "website": "https://github.com/client-guard/client-guard",
    "depends": ["client_guard", "curator_transfer", "auth_ldap"],
    "external_dependencies": {"python": ["python-ldap"]},
    "data": [
        "security/ir.model.access.csv",
        "views/res_company_ldap_views.xml",
        "views/res_config_settings_views.xml",
        "views/webclient_templates.xml",
        "data/ir_cron_data.xml",
    ],
    "installable": True,
    "application": False,
}
