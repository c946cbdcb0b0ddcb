"""The RQ side: the job function and ``flask worker`` (a worker plus a sweeper thread).

Workers run jobs in their own process (RQ's SimpleWorker), so the sandbox's warm pool of
spare containers survives from one submission to the next.
"""

from __future__ import annotations

import logging
import threading

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from redis import Redis
from rq import Queue, SimpleWorker

from assess.extensions import db
from assess.grading import queue
from assess.grading.dispatch import RQ_QUEUE, sweep_due, worker_identity
from assess.grading.runner import grade_submission
from assess.grading.sandbox_service import get_sandbox, shutdown
from assess.observability.grading import start_worker_metrics  # ops: worker metrics

log = logging.getLogger(__name__)

_state: dict[str, object] = {}


def _app() -> Flask:
    """The worker's app: the one ``flask worker`` built, or one built here on first use."""
    app = _state.get("app")
    if app is None:
        from assess import create_app  # the entry point builds the app, never an import

        app = create_app()
        _state["app"] = app
    assert isinstance(app, Flask)
    return app


def _owner() -> str:
    """This process's lease-owner name."""
    owner = _state.get("owner")
    if owner is None:
        owner = _state["owner"] = worker_identity("rq")
    return str(owner)


def run_job(submission_id: int) -> str:
    """RQ job: grade one submission (a no-op if another worker holds or finished it)."""
    with _app().app_context():
        lease = int(current_app.config.get("GRADING_LEASE_SECONDS", queue.DEFAULT_LEASE_SECONDS))
        outcome = grade_submission(submission_id, _owner(), get_sandbox, lease)
        log.info("submission %s: %s", submission_id, outcome)
        return outcome


def sweep_once(rq_queue: Queue) -> int:
    """Requeue expired leases and re-send stale queued rows; returns how many were sent."""
    ids = sweep_due(db.session)
    for submission_id in ids:
        rq_queue.enqueue(run_job, submission_id, job_timeout=600, result_ttl=60)
    return len(ids)


def _sweep_forever(app: Flask, rq_queue: Queue, every: float, stop: threading.Event) -> None:
    """The sweeper thread: keeps the queue honest even if Redis lost messages."""
    while not stop.wait(every):
        try:
            with app.app_context():
                sweep_once(rq_queue)
        except Exception as exc:  # noqa: BLE001 - the sweeper must keep running
            log.warning("sweep failed: %s", type(exc).__name__)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Exit when the queue is empty.")
@click.option(
    "--sweep-seconds",
    default=10.0,
    show_default=True,
    help="How often to requeue expired leases and stale rows.",
)
@with_appcontext
def worker_command(burst: bool, sweep_seconds: float) -> None:
    """Grade submissions from Redis (ASSESS_GRADING_BACKEND=rq); run one per grading host."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set; the worker needs Redis")
    _state["app"] = app
    start_worker_metrics(app)  # ops: serves /metrics when ASSESS_WORKER_METRICS_PORT is set
    connection = Redis.from_url(app.config["REDIS_URL"])
    rq_queue = Queue(RQ_QUEUE, connection=connection)
    stop = threading.Event()
    sweeper = threading.Thread(
        target=_sweep_forever, args=(app, rq_queue, sweep_seconds, stop), daemon=True
    )
    sweeper.start()
    click.echo(f"grading worker {_owner()} on queue {RQ_QUEUE}")
    try:
        with app.app_context():
            sweep_once(rq_queue)
        SimpleWorker([rq_queue], connection=connection).work(burst=burst, with_scheduler=False)
    finally:
        stop.set()
        shutdown()
