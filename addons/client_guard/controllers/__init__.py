from . import rpc
from . import vcard
