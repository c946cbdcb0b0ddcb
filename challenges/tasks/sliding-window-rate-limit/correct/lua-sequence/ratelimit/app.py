"""The quote service, limited per API key."""

from __future__ import annotations

import os
import time
from typing import Any

import redis
from flask import Blueprint, Flask, current_app, jsonify, make_response, request

from ratelimit.limiter import Limiter

QUOTE = "Simple is better than complex."
bp = Blueprint("quotes", __name__)


@bp.get("/api/quote")
def quote():
    api_key = request.headers.get("X-API-Key", "").strip()
    if api_key == "":
        return make_response(jsonify(error="missing_api_key"), 401)
    limiter: Limiter = current_app.extensions["ratelimit"]
    now = current_app.config["RATELIMIT_CLOCK"]()
    decision = limiter.hit(api_key, now)
    if decision.allowed:
        response = make_response(jsonify(quote=QUOTE), 200)
    else:
        response = make_response(
            jsonify(error="rate_limited", retry_after=decision.retry_after), 429
        )
        response.headers["Retry-After"] = "%d" % decision.retry_after
    response.headers["X-RateLimit-Limit"] = "%d" % current_app.config["RATELIMIT_LIMIT"]
    response.headers["X-RateLimit-Remaining"] = "%d" % decision.remaining
    return response


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(RATELIMIT_LIMIT=10, RATELIMIT_WINDOW=60, RATELIMIT_CLOCK=time.time)
    app.config.from_mapping(config or {})
    app.extensions["ratelimit"] = Limiter(
        redis.Redis.from_url(os.environ["REDIS_URL"]),
        app.config["RATELIMIT_LIMIT"],
        app.config["RATELIMIT_WINDOW"],
    )
    app.register_blueprint(bp)
    return app
