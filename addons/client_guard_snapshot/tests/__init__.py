from . import test_snapshot
from . import test_snapshot_restore
from . import test_snapshot_http
from . import test_snapshot_tz
from . import test_tour_officer
from . import test_snapshot_button
