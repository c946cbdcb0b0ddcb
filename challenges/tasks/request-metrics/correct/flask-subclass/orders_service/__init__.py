"""orders_service: a small Flask service for orders."""

from __future__ import annotations

from flask import Flask, request

from orders_service import access_log, metrics, routes
from orders_service.store import OrderStore

UNMATCHED = "unmatched"
_STARTED = "orders_service.started"
_REQUEST_ID = "orders_service.request_id"


class ObservedFlask(Flask):
    """A Flask application that times every request around its view function and, once
    the response is ready (success, HTTP error or unhandled exception alike), counts it,
    logs it and stamps it with the request id.

    ``dispatch_request`` is where the view is called (and where routing errors are raised);
    ``process_response`` runs for every response, including Flask's 500 page."""

    def dispatch_request(self):
        request.environ[_STARTED] = metrics.clock()
        return super().dispatch_request()

    def process_response(self, response):
        response = super().process_response(response)
        finished = metrics.clock()
        started = request.environ.get(_STARTED, finished)
        seconds = finished - started

        request_id = request.environ.get(_REQUEST_ID)
        if request_id is None:
            request_id = access_log.request_id_from(
                request.headers.get(access_log.REQUEST_ID_HEADER)
            )
            request.environ[_REQUEST_ID] = request_id
        response.headers[access_log.REQUEST_ID_HEADER] = request_id

        rule = request.url_rule
        route = rule.rule if rule is not None else UNMATCHED
        endpoint = rule.endpoint if rule is not None else None
        if not metrics.is_metrics_request(endpoint):
            metrics.registry(self).observe(request.method, route, response.status_code, seconds)
        access_log.log_request(request.method, route, response.status_code, seconds, request_id)
        return response


def create_app() -> Flask:
    """Build the application: routes, the order store, metrics and the access log."""
    app = ObservedFlask(__name__)
    app.extensions["orders"] = OrderStore()
    app.register_blueprint(routes.bp)
    metrics.init_app(app)
    access_log.init_app(app)
    return app
