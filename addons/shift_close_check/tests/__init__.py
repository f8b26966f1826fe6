from . import test_shift
from . import test_shift_rpc
from . import test_shift_trust_rpc
from . import test_shift_invariant
from . import test_shift_form
