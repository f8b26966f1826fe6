from . import test_exfiltration
from . import test_http
from . import test_messages
from . import test_door
from . import test_tour_officer
