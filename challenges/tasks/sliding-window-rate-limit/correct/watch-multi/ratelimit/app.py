"""The quote service."""

from __future__ import annotations

import os
import time

import redis
from flask import Flask, g, jsonify, request

from ratelimit.limiter import Limiter


def create_app(config=None):
    app = Flask(__name__)
    app.config["RATELIMIT_LIMIT"] = 10
    app.config["RATELIMIT_WINDOW"] = 60
    app.config["RATELIMIT_CLOCK"] = time.time
    app.config.update(config or {})
    limiter = Limiter(
        redis.Redis.from_url(os.environ["REDIS_URL"]),
        app.config["RATELIMIT_LIMIT"],
        app.config["RATELIMIT_WINDOW"],
    )

    @app.after_request
    def add_limit_headers(response):
        decision = g.get("decision")
        if decision is not None:
            response.headers["X-RateLimit-Limit"] = str(limiter.limit)
            response.headers["X-RateLimit-Remaining"] = str(decision.remaining)
            if not decision.allowed:
                response.headers["Retry-After"] = str(decision.retry_after)
        return response

    @app.route("/api/quote", methods=["GET"])
    def quote():
        api_key = request.headers.get("X-API-Key")
        if not api_key:
            return jsonify({"error": "missing_api_key"}), 401
        g.decision = limiter.hit(api_key, float(app.config["RATELIMIT_CLOCK"]()))
        if not g.decision.allowed:
            return jsonify({"error": "rate_limited", "retry_after": g.decision.retry_after}), 429
        return jsonify({"quote": "Simple is better than complex."})

    return app
