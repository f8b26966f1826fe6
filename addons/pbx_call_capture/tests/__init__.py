from . import test_register_calls
from . import test_pbx_rpc
from . import test_contact_details
