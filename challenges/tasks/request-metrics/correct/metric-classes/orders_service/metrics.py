"""A tiny metrics toolkit (counter, histogram, registry) and the service's two metrics,
exposed at GET /metrics in the Prometheus text exposition format 0.0.4."""

from __future__ import annotations

import bisect
import math
import threading
import time

from flask import Blueprint, Flask, Response, g, request

clock = time.perf_counter
"""The time source, in seconds. Read it as ``metrics.clock()`` (tests replace it)."""

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _escape(value: str) -> str:
    return value.translate({ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n"})


def _labels(names: tuple[str, ...], values: tuple[str, ...], extra: str = "") -> str:
    parts = [f'{name}="{_escape(value)}"' for name, value in zip(names, values)]
    if extra:
        parts.append(extra)
    return "{" + ", ".join(parts) + "}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf"
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class Counter:
    """A monotonically increasing count per label set."""

    kind = "counter"

    def __init__(self, name: str, help_text: str, labelnames: tuple[str, ...]) -> None:
        self.name, self.help, self.labelnames = name, help_text, labelnames
        self._values: dict[tuple[str, ...], int] = {}
        self._lock = threading.Lock()

    def inc(self, *values: str) -> None:
        with self._lock:
            self._values[values] = self._values.get(values, 0) + 1

    def lines(self) -> list[str]:
        with self._lock:
            items = sorted(self._values.items())
        return [f"{self.name}{_labels(self.labelnames, key)} {count}" for key, count in items]


class Histogram:
    """Observations counted into buckets by upper bound, with their sum."""

    kind = "histogram"

    def __init__(
        self, name: str, help_text: str, labelnames: tuple[str, ...], bounds: tuple[float, ...]
    ) -> None:
        self.name, self.help, self.labelnames = name, help_text, labelnames
        self.bounds = tuple(sorted(bounds)) + (math.inf,)
        self._series: dict[tuple[str, ...], tuple[list[int], list[float]]] = {}
        self._lock = threading.Lock()

    def observe(self, amount: float, *values: str) -> None:
        with self._lock:
            hits, total = self._series.setdefault(values, ([0] * len(self.bounds), [0.0]))
            hits[bisect.bisect_left(self.bounds, amount)] += 1
            total[0] += amount

    def lines(self) -> list[str]:
        with self._lock:
            items = sorted(
                (key, list(hits), total[0]) for key, (hits, total) in self._series.items()
            )
        out = []
        for key, hits, total in items:
            running = 0
            for bound, hit in zip(self.bounds, hits):
                running += hit
                le = f'le="{_number(bound)}"'
                out.append(f"{self.name}_bucket{_labels(self.labelnames, key, le)} {running}")
            out.append(f"{self.name}_sum{_labels(self.labelnames, key)} {_number(total)}")
            out.append(f"{self.name}_count{_labels(self.labelnames, key)} {running}")
        return out


class Registry:
    """The metrics to expose, in order."""

    def __init__(self) -> None:
        self.metrics: list[Counter | Histogram] = []

    def add(self, metric):
        self.metrics.append(metric)
        return metric

    def render(self) -> str:
        out = []
        for metric in self.metrics:
            out.append(f"# HELP {metric.name} {metric.help}")
            out.append(f"# TYPE {metric.name} {metric.kind}")
            out.extend(metric.lines())
        return "\n".join(out) + "\n"


REGISTRY = Registry()
REQUESTS = REGISTRY.add(
    Counter("http_requests_total", "HTTP requests.", ("method", "route", "status"))
)
DURATION = REGISTRY.add(
    Histogram(
        "http_request_duration_seconds",
        "HTTP request duration.",
        ("method", "route"),
        (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
    )
)

bp = Blueprint("observability", __name__)


@bp.get("/metrics")
def scrape() -> Response:
    """The exposition of every metric."""
    return Response(REGISTRY.render(), mimetype=CONTENT_TYPE)


def current_route() -> str:
    """The matched rule's template, or ``unmatched``."""
    return request.url_rule.rule if request.url_rule else "unmatched"


def init_app(app: Flask) -> None:
    """Time and count every request except the scrape itself."""
    app.register_blueprint(bp)

    @app.before_request
    def _started() -> None:
        g.t0 = clock()

    @app.after_request
    def _finished(response: Response) -> Response:
        elapsed = clock() - g.t0
        if request.endpoint == "observability.scrape":
            return response
        route = current_route()
        REQUESTS.inc(request.method, route, str(response.status_code))
        DURATION.observe(elapsed, request.method, route)
        return response
