"""One JSON access-log line per request on the ``orders_service.access`` logger, and the
request id echoed in the X-Request-ID response header."""

from __future__ import annotations

import json
import logging
import re
import uuid

from flask import Flask, Response, g, request

from orders_service import metrics

logger = logging.getLogger("orders_service.access")
HEADER = "X-Request-ID"
VALID_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


def request_id(incoming: str | None) -> str:
    """The caller's id when it is valid, otherwise a new one."""
    if incoming is not None and VALID_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def init_app(app: Flask) -> None:
    """Log every request of ``app`` at INFO and echo its request id."""
    logger.setLevel(logging.INFO)

    @app.before_request
    def _start() -> None:
        g.access_started = metrics.clock()
        g.request_id = request_id(request.headers.get(HEADER))

    @app.after_request
    def _log(response: Response) -> Response:
        seconds = metrics.clock() - g.get("access_started", 0.0)
        rid = g.get("request_id") or request_id(request.headers.get(HEADER))
        line = {
            "method": request.method,
            "route": metrics.route_label(),
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 3),
            "request_id": rid,
        }
        logger.info(json.dumps(line))
        response.headers[HEADER] = rid
        return response
