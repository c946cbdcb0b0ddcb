"""Request metrics in the Prometheus text exposition format 0.0.4, served at GET /metrics.

Each application keeps its own registry: a counter of requests by method, route and
status, and a histogram of request durations by method and route.
"""

from __future__ import annotations

import threading
import time

from flask import Flask, Response, g, request

clock = time.perf_counter
"""The time source, in seconds. Read it as ``metrics.clock()`` (tests replace it)."""

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
UNMATCHED = "unmatched"
ENDPOINT = "metrics"


def route_label() -> str:
    """The URL rule template the current request matched, or ``unmatched``."""
    rule = request.url_rule
    return rule.rule if rule is not None else UNMATCHED


def escape(value: str) -> str:
    """A label value escaped for the text format."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def labels(**pairs: str) -> str:
    """``{name="value",...}`` with escaped values."""
    return "{" + ",".join(f'{name}="{escape(value)}"' for name, value in pairs.items()) + "}"


class Histogram:
    """Cumulative bucket counts, a sum and a count for one label set."""

    def __init__(self) -> None:
        """Nothing observed yet."""
        self.buckets = [0] * len(BUCKETS)
        self.total = 0.0
        self.count = 0

    def observe(self, seconds: float) -> None:
        """Count one duration in every bucket whose bound it does not exceed."""
        for index, bound in enumerate(BUCKETS):
            if seconds <= bound:
                self.buckets[index] += 1
        self.total += seconds
        self.count += 1


class Registry:
    """The counts of one application, safe to update from several threads."""

    def __init__(self) -> None:
        """Empty counts."""
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, str, str], int] = {}
        self.durations: dict[tuple[str, str], Histogram] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Record one finished request."""
        with self._lock:
            key = (method, route, str(status))
            self.requests[key] = self.requests.get(key, 0) + 1
            self.durations.setdefault((method, route), Histogram()).observe(seconds)

    def render(self) -> str:
        """The exposition text."""
        out = [
            "# HELP http_requests_total Requests handled, by method, route and status.",
            "# TYPE http_requests_total counter",
        ]
        with self._lock:
            for (method, route, status), count in sorted(self.requests.items()):
                out.append(
                    f"http_requests_total{labels(method=method, route=route, status=status)}"
                    f" {count}"
                )
            out.append("# HELP http_request_duration_seconds Request durations in seconds.")
            out.append("# TYPE http_request_duration_seconds histogram")
            name = "http_request_duration_seconds"
            for (method, route), hist in sorted(self.durations.items()):
                for bound, count in zip(BUCKETS, hist.buckets):
                    bucket = labels(method=method, route=route, le=repr(bound))
                    out.append(f"{name}_bucket{bucket} {count}")
                every = labels(method=method, route=route, le="+Inf")
                out.append(f"{name}_bucket{every} {hist.count}")
                out.append(f"{name}_sum{labels(method=method, route=route)} {hist.total!r}")
                out.append(f"{name}_count{labels(method=method, route=route)} {hist.count}")
        return "\n".join(out) + "\n"


def init_app(app: Flask) -> None:
    """Measure every request of ``app`` and serve the figures at GET /metrics."""
    registry = Registry()
    app.extensions["metrics"] = registry

    @app.before_request
    def _start() -> None:
        g.metrics_started = clock()

    @app.after_request
    def _record(response: Response) -> Response:
        seconds = clock() - g.get("metrics_started", 0.0)
        if request.endpoint != ENDPOINT:
            registry.observe(request.method, route_label(), response.status_code, seconds)
        return response

    def serve() -> Response:
        return Response(registry.render(), content_type=CONTENT_TYPE)

    app.add_url_rule("/metrics", ENDPOINT, serve, methods=["GET"])
