"""The application factory."""

from __future__ import annotations

import os
from typing import Any

import redis
from flask import Flask

from payhooks.views import bp


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; its Redis client connects to ``REDIS_URL``."""
    app = Flask(__name__)
    app.config.update(PAYHOOKS_FAIL_PROCESSING=False)
    if config:
        app.config.update(config)
    app.extensions["payhooks.redis"] = redis.Redis.from_url(os.environ["REDIS_URL"])
    app.register_blueprint(bp)
    return app
