from . import test_audit_sale
