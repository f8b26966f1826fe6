from . import client_guard_exfiltration_alert
from . import client_guard_exfiltration_mark
from . import client_guard_exfiltration_threshold
from . import client_guard_security_event
from . import res_partner
from . import res_users
