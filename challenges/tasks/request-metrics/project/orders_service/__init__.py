"""orders_service: a small Flask service for orders."""

from __future__ import annotations

from flask import Flask

from orders_service import access_log, metrics, routes
from orders_service.store import OrderStore


def create_app() -> Flask:
    """Build the application: routes, the order store, metrics and the access log."""
    app = Flask(__name__)
    app.extensions["orders"] = OrderStore()
    app.register_blueprint(routes.bp)
    metrics.init_app(app)
    access_log.init_app(app)
    return app
