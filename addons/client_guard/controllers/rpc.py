import threading

from odoo.http import request, route

from odoo.addons.base.controllers.rpc import RPC


class ClientGuardRPC(RPC):
    """Odoo lends the HTTP request away while an RPC call runs; keep the
    caller's address on the thread so that trusted networks apply to
    XML-RPC and JSON-RPC too (proxy mode already rewrote remote_addr)."""

    def _xmlrpc(self, service):
        thread = threading.current_thread()
        thread.client_guard_ip = request.httprequest.remote_addr
        try:
            return super()._xmlrpc(service)
        finally:
            thread.client_guard_ip = None

    @route()
    def jsonrpc(self, service, method, args):
        thread = threading.current_thread()
        thread.client_guard_ip = request.httprequest.remote_addr
        try:
            return super().jsonrpc(service, method, args)
        finally:
            thread.client_guard_ip = None
