from . import test_shift
from . import test_shift_rpc
from . import test_shift_trust_rpc
from . import test_shift_invariant
from . import test_shift_form
from . import test_my_shift_menu
from . import test_tour_salesperson
from . import test_tour_head
