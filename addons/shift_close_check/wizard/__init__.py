from . import work_shift_close_wizard
from . import work_shift_close_wizard_line
from . import work_shift_force_close_wizard
