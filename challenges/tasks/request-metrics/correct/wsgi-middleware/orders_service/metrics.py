"""Request metrics collected by a WSGI middleware around the Flask application and
written in the Prometheus text format 0.0.4 at GET /metrics. One set of figures is shared
by every application in the process."""

from __future__ import annotations

import threading
import time
from collections import defaultdict

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from orders_service import access_log

clock = time.perf_counter
"""The time source, in seconds. Read it as ``metrics.clock()`` (tests replace it)."""

BOUNDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, float("inf"))

_lock = threading.Lock()
_requests: defaultdict[tuple[str, str, str], int] = defaultdict(int)
_buckets: defaultdict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(BOUNDS))
_sums: defaultdict[tuple[str, str], float] = defaultdict(float)


def _quote(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _le(bound: float) -> str:
    return "+Inf" if bound == float("inf") else f"{bound:g}"


def exposition() -> str:
    """Every series in the text format."""
    with _lock:
        requests = sorted(_requests.items())
        histograms = sorted((key, list(counts), _sums[key]) for key, counts in _buckets.items())
    text = ["# TYPE http_requests_total counter"]
    for (method, route, status), count in requests:
        text.append(
            f"http_requests_total{{route={_quote(route)},method={_quote(method)},"
            f"status={_quote(status)}}} {count}"
        )
    text.append("# TYPE http_request_duration_seconds histogram")
    for (method, route), counts, total in histograms:
        series = f"method={_quote(method)},route={_quote(route)}"
        for bound, count in zip(BOUNDS, counts):
            text.append(
                f'http_request_duration_seconds_bucket{{{series},le="{_le(bound)}"}} {count}'
            )
        text.append(f"http_request_duration_seconds_sum{{{series}}} {total!r}")
        text.append(f"http_request_duration_seconds_count{{{series}}} {counts[-1]}")
    return "\n".join(text) + "\n"


def _record(method: str, route: str, status: int, seconds: float) -> None:
    with _lock:
        _requests[(method, route, str(status))] += 1
        counts = _buckets[(method, route)]
        for index, bound in enumerate(BOUNDS):
            if seconds <= bound:
                counts[index] += 1
        _sums[(method, route)] += seconds


class Observe:
    """Times each request, counts it, logs it and adds the X-Request-ID header."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.inner = app.wsgi_app

    def _rule(self, environ):
        try:
            rule, _ = self.app.url_map.bind_to_environ(environ).match(return_rule=True)
        except HTTPException:
            return None
        return rule

    def __call__(self, environ, start_response):
        started = clock()
        request_id = access_log.request_id(environ.get("HTTP_X_REQUEST_ID"))
        rule = self._rule(environ)
        route = rule.rule if rule is not None else "unmatched"
        seen: dict[str, int] = {}

        def start(status, headers, exc_info=None):
            seen["status"] = int(status.split(" ", 1)[0])
            headers = [(k, v) for k, v in headers if k.lower() != "x-request-id"]
            headers.append(("X-Request-ID", request_id))
            return start_response(status, headers, exc_info)

        body = self.inner(environ, start)
        seconds = clock() - started
        method = environ.get("REQUEST_METHOD", "GET")
        status = seen.get("status", 500)
        if rule is None or rule.endpoint != "metrics":
            _record(method, route, status, seconds)
        access_log.write(method, route, status, seconds, request_id)
        return body


def init_app(app: Flask) -> None:
    """Serve /metrics and wrap the application in the middleware."""
    app.add_url_rule(
        "/metrics",
        "metrics",
        lambda: Response(exposition(), headers={"Content-Type": "text/plain; version=0.0.4"}),
    )
    app.wsgi_app = Observe(app)
