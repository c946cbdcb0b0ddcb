"""The access log: one JSON message per request on ``orders_service.access``."""

from __future__ import annotations

import json
import logging
import re
import uuid

from flask import Flask

logger = logging.getLogger("orders_service.access")
_ALLOWED = re.compile(r"^[A-Za-z0-9-]{1,64}\Z")


def request_id(header: str | None) -> str:
    """The caller's request id if it is acceptable, otherwise a fresh uuid4 hex."""
    if header and _ALLOWED.match(header):
        return header
    return uuid.uuid4().hex


def write(method: str, route: str, status: int, seconds: float, rid: str) -> None:
    """Log one finished request."""
    logger.info(
        json.dumps(
            {
                "request_id": rid,
                "method": method,
                "route": route,
                "status": status,
                "duration_ms": seconds * 1000.0,
            }
        )
    )


def init_app(app: Flask) -> None:
    """The middleware in metrics.py does the work; make sure INFO records get through."""
    logger.setLevel(logging.INFO)
