from . import test_curator_transfer
from . import test_curator_transfer_rpc
from . import test_transfer_trust_rpc
from . import test_archive_private
from . import test_menus
from . import test_tour_head
from . import test_tour_admin
