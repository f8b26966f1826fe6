from . import client_guard_snapshot_restore
from . import client_guard_snapshot_restore_line
