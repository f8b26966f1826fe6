{
    "name": "Client Guard Audit: Sales",
    "summary": "Audit of sale orders and order lines for the security officer",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Client Guard Suite",
    "website": "https://github.com/client-guard/client-guard",
    "depends": ["client_guard_audit", "sale"],
    "data": [
        "data/client_guard_audit_sale_data.xml",
    ],
    "installable": True,
    "auto_install": True,
}
