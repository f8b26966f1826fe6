from . import test_exfiltration
from . import test_http
from . import test_tour_officer
