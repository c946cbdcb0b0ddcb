"""The quote service: one endpoint, limited per API key."""

from __future__ import annotations

import os
import time
from typing import Any

import redis
from flask import Flask, jsonify, request

from ratelimit.limiter import Limiter

QUOTE = "Simple is better than complex."


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; its limiter keeps its hits in the Redis server at ``REDIS_URL``."""
    app = Flask(__name__)
    app.config.update(RATELIMIT_LIMIT=10, RATELIMIT_WINDOW=60, RATELIMIT_CLOCK=time.time)
    if config:
        app.config.update(config)
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    limit = app.config["RATELIMIT_LIMIT"]
    limiter = Limiter(client, limit, app.config["RATELIMIT_WINDOW"])
    clock = app.config["RATELIMIT_CLOCK"]

    @app.get("/api/quote")
    def quote():
        api_key = request.headers.get("X-API-Key", "")
        if not api_key:
            return jsonify(error="missing_api_key"), 401
        decision = limiter.hit(api_key, clock())
        headers = {
            "X-RateLimit-Limit": str(int(limit)),
            "X-RateLimit-Remaining": str(decision.remaining),
        }
        if decision.allowed:
            return jsonify(quote=QUOTE), 200, headers
        headers["Retry-After"] = str(decision.retry_after)
        return jsonify(error="rate_limited", retry_after=decision.retry_after), 429, headers

    return app
