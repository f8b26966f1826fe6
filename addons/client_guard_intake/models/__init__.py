from . import res_partner
from . import client_guard_intake_column
from . import client_guard_intake
from . import client_guard_intake_line
