from . import client_guard_audit_export
