"""Request metrics, served at GET /metrics for Prometheus to scrape."""

from __future__ import annotations

import time
from collections import Counter

from flask import Flask, g, request

clock = time.perf_counter
"""The time source, in seconds. Read it as ``metrics.clock()`` (tests replace it)."""

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)

_requests: Counter = Counter()
_durations: dict[tuple[str, str], list[int]] = {}


def init_app(app: Flask) -> None:
    """Count every request and serve the counts at GET /metrics."""

    @app.before_request
    def _start() -> None:
        g.started = clock()

    @app.after_request
    def _record(response):
        elapsed = clock() - g.started
        _requests[(request.method, request.path, response.status_code)] += 1
        counts = _durations.setdefault((request.method, request.path), [0] * (len(BUCKETS) + 1))
        for index, bound in enumerate(BUCKETS):
            if elapsed < bound:
                counts[index] += 1
                break
        else:
            counts[-1] += 1
        return response

    @app.get("/metrics")
    def metrics():
        lines = []
        for (method, path, status), count in sorted(_requests.items()):
            lines.append(
                f'http_requests_total{{method="{method}",path="{path}",status={status}}} {count}'
            )
        for (method, path), counts in sorted(_durations.items()):
            for bound, count in zip([*BUCKETS, "+Inf"], counts):
                lines.append(
                    "http_request_duration_seconds_bucket"
                    f'{{method="{method}",path="{path}",le="{bound}"}} {count}'
                )
        return "\n".join(lines)
