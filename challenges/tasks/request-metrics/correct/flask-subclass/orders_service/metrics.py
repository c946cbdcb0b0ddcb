"""Request metrics, served at GET /metrics for Prometheus to scrape.

Each application owns a :class:`Registry` (in ``app.extensions``); the text exposition
format 0.0.4 is written by hand (no metrics library is available).
"""

from __future__ import annotations

import bisect
import threading
import time
from dataclasses import dataclass, field

from flask import Flask, Response, current_app

clock = time.perf_counter
"""The time source, in seconds. Read it as ``metrics.clock()`` (tests replace it)."""

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
METRICS_ENDPOINT = "orders_service_metrics"
EXTENSION = "orders_service.metrics"


def escape_label(value: str) -> str:
    """A label value as the exposition format writes it between double quotes."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(**labels: str) -> str:
    return ",".join(f'{name}="{escape_label(str(value))}"' for name, value in labels.items())


def _bound_text(bound: float) -> str:
    return f"{bound:g}"


@dataclass
class _Histogram:
    per_bucket: list[int] = field(default_factory=lambda: [0] * (len(BUCKETS) + 1))
    total: float = 0.0
    count: int = 0

    def observe(self, seconds: float) -> None:
        # bisect_left: a duration equal to a bound belongs to that bound's bucket.
        self.per_bucket[bisect.bisect_left(BUCKETS, seconds)] += 1
        self.total += seconds
        self.count += 1


class Registry:
    """The request counter and duration histogram of one application."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str, str], int] = {}
        self._durations: dict[tuple[str, str], _Histogram] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, str(status))
        with self._lock:
            self._requests[key] = self._requests.get(key, 0) + 1
            self._durations.setdefault((method, route), _Histogram()).observe(seconds)

    def exposition(self) -> str:
        with self._lock:
            requests = sorted(self._requests.items())
            durations = sorted(
                (key, (list(h.per_bucket), h.total, h.count)) for key, h in self._durations.items()
            )
        lines = [
            "# HELP http_requests_total HTTP requests answered, by method, route and status.",
            "# TYPE http_requests_total counter",
        ]
        for (method, route, status), count in requests:
            lines.append(
                f"http_requests_total{{{_labels(method=method, route=route, status=status)}}} {count}"
            )
        lines += [
            "# HELP http_request_duration_seconds Time spent handling HTTP requests.",
            "# TYPE http_request_duration_seconds histogram",
        ]
        name = "http_request_duration_seconds"
        for (method, route), (per_bucket, total, count) in durations:
            base = _labels(method=method, route=route)
            running = 0
            for bound, in_bucket in zip([*map(_bound_text, BUCKETS), "+Inf"], per_bucket):
                running += in_bucket
                lines.append(f'{name}_bucket{{{base},le="{bound}"}} {running}')
            lines.append(f"{name}_sum{{{base}}} {total!r}")
            lines.append(f"{name}_count{{{base}}} {count}")
        return "\n".join(lines) + "\n"


def registry(app: Flask) -> Registry:
    return app.extensions[EXTENSION]


def is_metrics_request(endpoint: str | None) -> bool:
    return endpoint == METRICS_ENDPOINT


def _serve_metrics() -> Response:
    return Response(registry(current_app).exposition(), status=200, content_type=CONTENT_TYPE)


def init_app(app: Flask) -> None:
    """Give the application its registry and the GET /metrics route."""
    app.extensions[EXTENSION] = Registry()
    app.add_url_rule("/metrics", METRICS_ENDPOINT, _serve_metrics, methods=["GET"])
