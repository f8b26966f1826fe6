from . import test_visibility
from . import test_write_rules
from . import test_curator_history
from . import test_http
from . import test_security_log
from . import test_leak_paths
from . import test_menus
from . import test_private_marking
