"""One access-log line per request on the ``orders_service.access`` logger."""

from __future__ import annotations

import logging
import uuid

from flask import Flask, request

logger = logging.getLogger("orders_service.access")


def init_app(app: Flask) -> None:
    """Log every request."""

    @app.after_request
    def _log(response):
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        logger.info(
            "%s %s %s request_id=%s", request.method, request.path, response.status, request_id
        )
        return response
