from . import test_intake
from . import test_curator_deputy
from . import test_ui
from . import test_deputy_time_off
