"""orders_service: a small Flask service for orders."""

from __future__ import annotations

from flask import Flask

from orders_service import access_log, metrics, routes
from orders_service.store import OrderStore


def create_app() -> Flask:
    """Build the application: the access log first, then routes and metrics."""
    app = Flask(__name__)
    access_log.init_app(app)
    app.extensions["orders"] = OrderStore()
    app.register_blueprint(routes.bp)
    metrics.init_app(app)
    return app
