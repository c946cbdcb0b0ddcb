"""The quote service with a rate-limiting decorator."""

import functools
import os
import time

import redis
from flask import Flask, current_app, jsonify, request

from ratelimit.limiter import Limiter


def rate_limited(view):
    """Apply the app's limiter to ``view``, keyed by the X-API-Key header."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        api_key = request.headers.get("X-API-Key") or ""
        if not api_key:
            return jsonify(error="missing_api_key"), 401
        limiter = current_app.config["_LIMITER"]
        decision = limiter.hit(api_key, current_app.config["RATELIMIT_CLOCK"]())
        headers = [
            ("X-RateLimit-Limit", str(limiter.limit)),
            ("X-RateLimit-Remaining", str(decision.remaining)),
        ]
        if not decision.allowed:
            headers.append(("Retry-After", str(decision.retry_after)))
            payload = {"error": "rate_limited", "retry_after": decision.retry_after}
            return jsonify(payload), 429, headers
        return view(*args, **kwargs), 200, headers

    return wrapper


def create_app(config=None):
    app = Flask(__name__)
    settings = {"RATELIMIT_LIMIT": 10, "RATELIMIT_WINDOW": 60, "RATELIMIT_CLOCK": time.time}
    settings.update(config or {})
    app.config.update(settings)
    app.config["_LIMITER"] = Limiter(
        redis.Redis.from_url(os.environ["REDIS_URL"]),
        settings["RATELIMIT_LIMIT"],
        settings["RATELIMIT_WINDOW"],
    )

    @app.get("/api/quote")
    @rate_limited
    def quote():
        return jsonify(quote="Simple is better than complex.")

    return app
