from . import curator_transfer_wizard
from . import curator_transfer_wizard_department
