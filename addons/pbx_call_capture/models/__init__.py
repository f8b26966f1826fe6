from . import pbx_call
from . import pbx_call_deletion
from . import pbx_call_reason
from . import pbx_ingest_log
from . import res_config_settings
from . import res_partner
from . import res_users
