from . import test_register_calls
from . import test_pbx_rpc
from . import test_register_calls_robust
from . import test_register_calls_http
from . import test_call_display
from . import test_settings
from . import test_contact_details
