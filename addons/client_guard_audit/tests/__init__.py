from . import test_audit
from . import test_audit_http
from . import test_audit_context_rpc
from . import test_audit_reader
from . import test_tour_officer
