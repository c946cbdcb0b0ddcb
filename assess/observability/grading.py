"""Metrics and log context for the graders (the in-process pool and RQ workers)."""

from __future__ import annotations

import logging
import os
from datetime import datetime

from flask import Flask
from prometheus_client import CollectorRegistry, start_http_server

from assess.grading import sandbox_service
from assess.models import Submission, utcnow
from assess.observability import metrics

log = logging.getLogger(__name__)


def record_grading(submission: Submission, verdict: str, started: datetime) -> None:
    """Count one grading outcome of ``submission``; never fails the grading itself."""
    try:
        finished = utcnow()
        waited = (started - submission.created_at).total_seconds()
        metrics.observe_grading(
            submission.kind.value, verdict, (finished - started).total_seconds(), waited
        )
    except Exception:  # metrics are best effort; the verdict is already stored
        log.debug("could not record grading metrics", exc_info=True)


def spare_containers() -> int | None:
    """Ready spare containers of this process's sandbox, None when it has none."""
    sandbox = getattr(sandbox_service, "_sandbox", None)
    pool = getattr(sandbox, "pool", None) if sandbox is not None else None
    return None if pool is None else len(getattr(pool, "spares", ()))


def start_worker_metrics(app: Flask) -> int | None:
    """Serve this worker's metrics on ``ASSESS_WORKER_METRICS_PORT`` (loopback unless
    ``ASSESS_WORKER_METRICS_ADDR`` says otherwise); returns the port, None when off."""
    raw = os.environ.get("ASSESS_WORKER_METRICS_PORT", "").strip()
    if not raw:
        return None
    port = int(raw)
    address = os.environ.get("ASSESS_WORKER_METRICS_ADDR", "127.0.0.1").strip()
    registry = CollectorRegistry(auto_describe=False)
    registry.register(metrics.ProcessMetrics())
    registry.register(metrics.SandboxCollector(spare_containers))
    registry.register(metrics.DatabaseCollector(app))
    start_http_server(port, addr=address, registry=registry)
    log.info("worker metrics on %s:%s", address, port)
    return port
