"""The catalog service: products in PostgreSQL, a Redis cache beside it."""

import os

from flask import Flask


def create_app(settings=None):
    """The Flask application. ``settings`` may set ``POSTGRES_DSN`` (a libpq connection
    string; empty means the PG* environment variables) and ``REDIS_URL``."""
    app = Flask(__name__)
    app.config["POSTGRES_DSN"] = ""
    app.config["REDIS_URL"] = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
    app.config.update(settings or {})

    from catalog import health, products

    app.register_blueprint(products.bp)
    app.register_blueprint(health.bp)
    return app
