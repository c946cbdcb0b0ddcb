"""gunicorn settings. The embedded default is one process with threads, so SQLite and the
in-process grading pool live in one place; the scaled set-up raises workers and moves
grading to RQ workers (see README)."""

from __future__ import annotations

import os

bind = os.environ.get("ASSESS_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
threads = int(os.environ.get("ASSESS_THREADS", "8"))
worker_class = "gthread"
timeout = 60
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
# Access and error lines pass the same redaction as the app's (no invitation tokens).
logger_class = "assess.observability.gunicorn_logging.RedactingLogger"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# --- operations (deploy/, assess/observability): metrics across workers, JSON logs, shutdown.
# Several processes share their Prometheus metrics through one directory, wiped at start.
if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    import tempfile

    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.path.join(
        tempfile.gettempdir(), f"assess-metrics-{os.getpid()}"
    )
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    import shutil

    shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)
# JSON logs: the app logs one line per request with its route template and request id (never
# the path, which may carry an invitation token), so gunicorn's access log is switched off.
if os.environ.get("ASSESS_LOG_FORMAT", "").lower() == "json" or (
    os.environ.get("ASSESS_ENV") == "production" and not os.environ.get("ASSESS_LOG_FORMAT")
):
    accesslog = None
    # gunicorn's own lines (boot, worker exits, errors) in the same JSON shape.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": "assess.observability.redaction.RedactingFilter"}},
        "formatters": {"json": {"()": "assess.observability.logs.JsonFormatter"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "json",
                       "filters": ["redact"], "stream": "ext://sys.stderr"},
        },
        "root": {"level": "INFO", "handlers": []},  # the app installs its own handler
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        },
    }  # fmt: skip


def child_exit(server: object, worker: object) -> None:
    """Drop the metrics files of a worker that exited (its live gauges would go stale)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]


def post_worker_init(worker: object) -> None:
    """Start the in-process grading pool's sweeper at boot, so submissions left queued by a
    restart are picked up without waiting for the next one to arrive."""
    app = getattr(worker, "wsgi", None)
    grading = getattr(app, "extensions", {}).get("grading")
    if grading is not None and hasattr(grading, "start"):
        grading.start()


def worker_exit(server: object, worker: object) -> None:
    """On SIGTERM: stop taking grading work and finish or hand back what the worker holds."""
    app = getattr(worker, "wsgi", None)
    grading = getattr(app, "extensions", {}).get("grading")
    if grading is not None:
        grading.shutdown()
