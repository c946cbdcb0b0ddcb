"""Per-application request statistics and their Prometheus 0.0.4 text rendering."""

from __future__ import annotations

import threading
import time

clock = time.perf_counter
"""The time source, in seconds. Read it as ``metrics.clock()`` (tests replace it)."""

LIMITS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]


def esc(text: str) -> str:
    """Escape a label value."""
    text = text.replace("\\", r"\\")
    text = text.replace('"', r"\"")
    return text.replace("\n", r"\n")


class Stats:
    """Counts and durations of one application."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: dict[tuple[str, str, str], int] = {}
        self.times: dict[tuple[str, str], list[float]] = {}

    def add(self, method: str, route: str, status: int, seconds: float) -> None:
        with self.lock:
            key = (method, route, "%d" % status)
            self.hits[key] = self.hits.get(key, 0) + 1
            self.times.setdefault((method, route), []).append(seconds)

    def text(self) -> str:
        with self.lock:
            hits = dict(self.hits)
            times = {key: list(values) for key, values in self.times.items()}
        rows = ["# TYPE http_requests_total counter"]
        for (method, route, status), n in hits.items():
            rows.append(
                'http_requests_total{status="%s",method="%s",route="%s"} %d'
                % (esc(status), esc(method), esc(route), n)
            )
        rows.append("# TYPE http_request_duration_seconds histogram")
        for (method, route), values in times.items():
            base = 'method="%s",route="%s"' % (esc(method), esc(route))
            for limit in LIMITS:
                below = sum(1 for v in values if v <= limit)
                rows.append(
                    'http_request_duration_seconds_bucket{%s,le="%.3f"} %d' % (base, limit, below)
                )
            rows.append(
                'http_request_duration_seconds_bucket{%s,le="+Inf"} %d' % (base, len(values))
            )
            rows.append("http_request_duration_seconds_sum{%s} %.6f" % (base, sum(values)))
            rows.append("http_request_duration_seconds_count{%s} %d" % (base, len(values)))
        return "\n".join(rows) + "\n"


def init_app(app) -> None:
    """Nothing to register here: create_app() wires the hooks; keep the stats on the app."""
    app.extensions["stats"] = Stats()
