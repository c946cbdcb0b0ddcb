"""The access log: one JSON record per request, and the request id round trip."""

from __future__ import annotations

import json
import logging
import string
import uuid

from flask import Flask, Response, g, request

from orders_service import metrics

ACCESS = logging.getLogger("orders_service.access")
_ID_CHARS = frozenset(string.ascii_letters + string.digits + "-")


def choose_request_id(value: str | None) -> str:
    """Keep a well-formed incoming id; anything else gets a fresh one."""
    if value and len(value) <= 64 and all(ch in _ID_CHARS for ch in value):
        return value
    return uuid.uuid4().hex


def init_app(app: Flask) -> None:
    """Register the access log hooks."""
    ACCESS.setLevel(logging.INFO)

    @app.before_request
    def _begin() -> None:
        g.rid = choose_request_id(request.headers.get("X-Request-ID"))
        g.begin = metrics.clock()

    @app.after_request
    def _end(response: Response) -> Response:
        took = metrics.clock() - g.begin
        response.headers["X-Request-ID"] = g.rid
        record = dict(
            method=request.method,
            route=metrics.current_route(),
            status=response.status_code,
            duration_ms=took * 1e3,
            request_id=g.rid,
        )
        ACCESS.info("%s", json.dumps(record, separators=(",", ":")))
        return response
