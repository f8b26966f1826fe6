from . import client_guard_snapshot
from . import res_config_settings
from . import res_partner
