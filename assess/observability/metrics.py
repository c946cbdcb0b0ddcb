"""Prometheus metrics: what each process counts, and what the database says at scrape time.

Counters and histograms live in the process that does the work (a gunicorn worker, the
in-process grading pool, an RQ worker). Under gunicorn with several workers they are
shared through prometheus_client's multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``, set by
``gunicorn.conf.py``). Gauges that describe the database (queue depth, the oldest queued
submission's age, attempts in progress, runs recorded by verdict) are computed from it on
every scrape, so every process and every host agrees on them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

import sqlalchemy as sa
from flask import Flask
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import REGISTRY, Collector
from sqlalchemy.orm import Session

from assess.extensions import db
from assess.models import Attempt, AttemptState, GradingRun, Submission, SubmissionState, utcnow

__all__ = ["CONTENT_TYPE_LATEST", "observe_grading", "observe_request", "render"]

# The *_created series would only double the size of the exposition.
disable_created_metrics()  # type: ignore[no-untyped-call]

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
GRADING_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 40.0, 80.0, 160.0)

HTTP_REQUESTS = Counter(
    "assess_http_requests", "HTTP requests served, by route template and status.",
    ["method", "route", "status"],
)  # fmt: skip
HTTP_LATENCY = Histogram(
    "assess_http_request_duration_seconds", "Time to serve an HTTP request, by route template.",
    ["method", "route"], buckets=LATENCY_BUCKETS,
)  # fmt: skip
GRADING_RUNS = Counter(
    "assess_grading_runs", "Submissions graded by this process, by kind and verdict.",
    ["kind", "verdict"],
)  # fmt: skip
GRADING_LATENCY = Histogram(
    "assess_grading_duration_seconds",
    "Time from claiming a submission to recording its verdict, by kind.",
    ["kind"], buckets=GRADING_BUCKETS,
)  # fmt: skip
QUEUE_WAIT = Histogram(
    "assess_grading_queue_wait_seconds",
    "Time a submission waited in the queue before a grader claimed it, by kind.",
    ["kind"], buckets=GRADING_BUCKETS,
)  # fmt: skip


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one served request."""
    HTTP_REQUESTS.labels(method, route, str(status)).inc()
    HTTP_LATENCY.labels(method, route).observe(seconds)


def observe_grading(kind: str, verdict: str, seconds: float, waited: float | None = None) -> None:
    """Count one grading outcome and how long it took (and waited, when known)."""
    GRADING_RUNS.labels(kind, verdict).inc()
    GRADING_LATENCY.labels(kind).observe(max(0.0, seconds))
    if waited is not None:
        QUEUE_WAIT.labels(kind).observe(max(0.0, waited))


def seconds_since(moment: datetime | None) -> float:
    """Seconds from ``moment`` (aware UTC) to now; 0 when unknown."""
    return 0.0 if moment is None else max(0.0, (utcnow() - moment).total_seconds())


class DatabaseCollector(Collector):
    """Gauges read from the database on each scrape."""

    def __init__(self, app: Flask) -> None:
        """Read through ``app``'s database (in an app context of its own)."""
        self.app = app

    def collect(self) -> Iterator[Metric]:
        """Queue depth and age, running submissions, attempts in progress, recorded runs."""
        up = GaugeMetricFamily("assess_database_up", "1 when the database answered the scrape.")
        with self.app.app_context():
            try:
                families = list(self._families(db.session()))
            except sa.exc.SQLAlchemyError:
                db.session.rollback()
                up.add_metric([], 0)
                yield up
                return
        up.add_metric([], 1)
        yield up
        yield from families

    def _families(self, session: Session) -> Iterable[Metric]:
        """The database gauges (raises SQLAlchemyError when the database is away)."""
        depth = GaugeMetricFamily(
            "assess_grading_queue_depth", "Submissions waiting to be graded, by kind.",
            labels=["kind"],
        )  # fmt: skip
        rows = session.execute(
            sa.select(Submission.kind, sa.func.count(), sa.func.min(Submission.created_at))
            .where(Submission.state == SubmissionState.QUEUED)
            .group_by(Submission.kind)
        ).all()
        oldest: datetime | None = None
        for kind, count, first in rows:
            depth.add_metric([kind.value], count)
            oldest = first if oldest is None or (first and first < oldest) else oldest
        for kind in ("sample", "final"):
            if kind not in {row[0].value for row in rows}:
                depth.add_metric([kind], 0)
        yield depth
        age = GaugeMetricFamily(
            "assess_grading_queue_oldest_age_seconds",
            "Age of the oldest queued submission (0 when the queue is empty).",
        )
        age.add_metric([], seconds_since(oldest))
        yield age
        running = GaugeMetricFamily(
            "assess_grading_running", "Submissions being graded now (held under a lease)."
        )
        running.add_metric([], session.scalar(
            sa.select(sa.func.count()).where(Submission.state == SubmissionState.RUNNING)
        ) or 0)  # fmt: skip
        yield running
        attempts = GaugeMetricFamily(
            "assess_attempts_in_progress", "Attempts started and not finished or expired."
        )
        attempts.add_metric([], session.scalar(
            sa.select(sa.func.count()).where(Attempt.state == AttemptState.STARTED,
                                             Attempt.deadline_at > utcnow())
        ) or 0)  # fmt: skip
        yield attempts
        recorded = GaugeMetricFamily(
            "assess_grading_runs_recorded",
            "Grading runs stored in the database, by verdict (every grader on every host).",
            labels=["verdict"],
        )  # fmt: skip
        for verdict, count in session.execute(
            sa.select(GradingRun.verdict, sa.func.count()).group_by(GradingRun.verdict)
        ).all():
            recorded.add_metric([verdict], count)
        yield recorded
        session.rollback()


class SandboxCollector(Collector):
    """Spare containers of this process's sandbox (present where grading runs)."""

    def __init__(self, spares: Callable[[], int | None]) -> None:
        """``spares`` returns the number of ready spare containers, None when no sandbox."""
        self.spares = spares

    def collect(self) -> Iterator[Metric]:
        """The warm pool's size, labelled by process id."""
        count = self.spares()
        if count is None:
            return
        family = GaugeMetricFamily(
            "assess_sandbox_spare_containers",
            "Started, locked-down containers waiting for a submission, in this process.",
            labels=["pid"],
        )
        family.add_metric([str(os.getpid())], count)
        yield family


def multiprocess_dir() -> str | None:
    """The shared metrics directory when running under several processes."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def render(extra: Iterable[Collector]) -> bytes:
    """The exposition text: this process's (or every process's) metrics plus ``extra``."""
    registry = CollectorRegistry(auto_describe=False)
    shared = multiprocess_dir()
    if shared:
        multiprocess.MultiProcessCollector(registry, path=shared)  # type: ignore[no-untyped-call]
    else:
        registry.register(ProcessMetrics())
    for collector in extra:
        registry.register(collector)
    return generate_latest(registry)


class ProcessMetrics(Collector):
    """Forwards the default registry, so our metrics and process metrics are included."""

    def collect(self) -> Iterator[Metric]:
        """Everything the default registry collects."""
        yield from REGISTRY.collect()
