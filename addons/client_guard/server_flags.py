"""Shortcuts that the suite's own server code takes: the audit path of a
curator transfer or of a PBX push, a transfer's bulk write that skips the
per-company sync of contacts...

They are never read from the ORM context: every caller fills the context at
will, over XML-RPC and JSON-RPC as in the browser. A flag lives in a context
variable of the running thread, set only by server code for the duration of
a ``with server_flags(...)`` block; no request can set it.

    from odoo.addons.client_guard.server_flags import server_flag, server_flags

    with server_flags(audit_path="pbx"):
        ...                                # server code
    server_flag("audit_path")              # "pbx" inside the block, None outside
"""

import contextlib
import contextvars

_FLAGS = contextvars.ContextVar("client_guard_server_flags", default=None)


@contextlib.contextmanager
def server_flags(**flags):
    """Set ``flags`` for the code run inside the block (nested blocks add to
    and override the outer ones; everything is reset on leaving)."""
    token = _FLAGS.set({**(_FLAGS.get() or {}), **flags})
    try:
        yield
    finally:
        _FLAGS.reset(token)


def server_flag(name, default=None):
    """The value of flag ``name`` set by an enclosing ``server_flags`` block."""
    return (_FLAGS.get() or {}).get(name, default)
