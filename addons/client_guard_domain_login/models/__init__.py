from . import client_guard_domain_role
from . import client_guard_security_event
from . import ir_http
from . import res_company_ldap
from . import res_config_settings
from . import res_users
