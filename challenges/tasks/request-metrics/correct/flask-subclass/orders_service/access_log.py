"""One JSON access-log record per request on the ``orders_service.access`` logger, and the
request id (``X-Request-ID``)."""

from __future__ import annotations

import json
import logging
import re
import uuid

from flask import Flask

logger = logging.getLogger("orders_service.access")

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


def request_id_from(header_value: str | None) -> str:
    """The caller's id when it is well formed, otherwise a new uuid4 hex."""
    if header_value is not None and _VALID_REQUEST_ID.fullmatch(header_value):
        return header_value
    return uuid.uuid4().hex


def log_request(method: str, route: str, status: int, seconds: float, request_id: str) -> None:
    """Emit the request's record; the JSON is the message itself."""
    logger.info(
        json.dumps(
            {
                "method": method,
                "route": route,
                "status": int(status),
                "duration_ms": round(seconds * 1000, 3),
                "request_id": request_id,
            }
        )
    )


def init_app(app: Flask) -> None:
    """Make sure the access records are not filtered out."""
    logger.setLevel(logging.INFO)
