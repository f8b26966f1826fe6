from . import test_audit
from . import test_audit_http
from . import test_tour_officer
