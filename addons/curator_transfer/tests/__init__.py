from . import test_curator_transfer
from . import test_curator_transfer_rpc
from . import test_menus
from . import test_tour_head
from . import test_tour_admin
