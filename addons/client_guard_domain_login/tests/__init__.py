from . import test_domain_login
from . import test_domain_login_http
