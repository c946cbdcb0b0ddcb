"""orders_service: a small Flask service for orders."""

from __future__ import annotations

import json

from flask import Flask, Response, request

from orders_service import access_log, metrics, routes
from orders_service.store import OrderStore


def create_app() -> Flask:
    """Build the application; one pair of hooks measures, counts, logs and tags requests."""
    app = Flask(__name__)
    app.extensions["orders"] = OrderStore()
    app.register_blueprint(routes.bp)
    metrics.init_app(app)
    access_log.init_app(app)
    stats = app.extensions["stats"]

    @app.get("/metrics")
    def metrics_page():
        body = stats.text()
        return Response(body, headers={"Content-Type": "text/plain; version=0.0.4"})

    @app.before_request
    def begin():
        request.environ["orders.t0"] = metrics.clock()
        request.environ["orders.rid"] = access_log.pick_id(request.headers.get("X-Request-ID"))

    @app.after_request
    def end(response):
        seconds = metrics.clock() - request.environ["orders.t0"]
        rid = request.environ["orders.rid"]
        route = str(request.url_rule) if request.url_rule is not None else "unmatched"
        if request.path != "/metrics":
            stats.add(request.method, route, response.status_code, seconds)
            access_log.log.info(
                json.dumps(
                    {
                        "status": response.status_code,
                        "route": route,
                        "method": request.method,
                        "request_id": rid,
                        "duration_ms": round(seconds * 1000, 3),
                    }
                )
            )
        response.headers["X-Request-ID"] = rid
        return response

    return app
