from . import curator_transfer
from . import curator_transfer_line
from . import res_config_settings
from . import res_partner
from . import res_users
