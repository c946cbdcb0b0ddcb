"""Dispatch: how queued submission ids reach a grader. Two adapters behind one interface.

- ``inprocess`` (the embedded default): a small thread pool inside the web process.
- ``rq``: Redis carries ids to ``flask worker`` processes on any number of hosts.

Either way the database row is the truth: a lost message costs only time, because a
sweeper re-dispatches rows that stay queued and the reaper requeues expired leases.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Protocol

import sqlalchemy as sa
from flask import Flask
from redis import Redis
from rq import Queue

from assess.extensions import DbSession, db
from assess.grading import queue
from assess.grading.runner import grade_submission
from assess.grading.sandbox_service import get_sandbox
from assess.models import Submission, SubmissionState, utcnow
from assess.services import scorecards

log = logging.getLogger(__name__)

RQ_QUEUE = "assess-grading"
STALE_QUEUED_SECONDS = 20


def worker_identity(kind: str) -> str:
    """A lease owner name unique to this process (host, pid and a random part)."""
    return f"{socket.gethostname()}:{os.getpid()}:{kind}:{uuid.uuid4().hex[:8]}"


class Dispatcher(Protocol):
    """Carries a submission id to a grader."""

    def enqueue(self, submission_id: int, priority: int = 0) -> None:
        """Ask for ``submission_id`` to be graded."""

    def shutdown(self) -> None:
        """Stop taking work; hand back what is held."""


class NullDispatcher:
    """No grading here (the sandbox is disabled): rows stay queued for a grader elsewhere."""

    def enqueue(self, submission_id: int, priority: int = 0) -> None:
        """Leave the row queued."""

    def shutdown(self) -> None:
        """Nothing to stop."""


def stale_queued(session: DbSession, older_than: int) -> list[int]:
    """Queued rows older than ``older_than`` seconds: their message may have been lost."""
    cutoff = utcnow() - timedelta(seconds=older_than)
    return list(
        session.scalars(
            sa.select(Submission.id)
            .where(Submission.state == SubmissionState.QUEUED, Submission.created_at < cutoff)
            .order_by(Submission.priority.desc(), Submission.id)
            .limit(200)
        )
    )


def sweep_due(session: DbSession) -> list[int]:
    """The one sweep both dispatchers run: close and score overdue attempts, requeue expired
    leases, and return the ids to send again (the rows just requeued, then the queued rows
    that waited too long, each once). The caller sends them with its own transport."""
    scorecards.close_overdue_and_score(session)
    report = queue.reap(session)
    requeued = list(report.requeued)
    return requeued + [
        i for i in stale_queued(session, STALE_QUEUED_SECONDS) if i not in set(requeued)
    ]


class InProcessDispatcher:
    """Grades in a thread pool of the web process, with a sweeper thread for leases."""

    def __init__(
        self, app: Flask, workers: int = 2, lease_seconds: int = 60, sweep_seconds: float = 10.0
    ) -> None:
        """Create the pool lazily: nothing starts until the first submission or sweep."""
        self.app = app
        self.workers = workers
        self.lease_seconds = lease_seconds
        self.sweep_seconds = sweep_seconds
        self.owner = worker_identity("inprocess")
        self.lock = threading.Lock()
        self.inflight: set[int] = set()
        self.executor: ThreadPoolExecutor | None = None
        self.sweeper: threading.Thread | None = None
        self.stopping = threading.Event()

    def start(self) -> None:
        """Start the pool and the sweeper (idempotent)."""
        with self.lock:
            if self.executor is None:
                self.executor = ThreadPoolExecutor(self.workers, thread_name_prefix="grader")
                self.sweeper = threading.Thread(
                    target=self._sweep_forever, daemon=True, name="grading-sweeper"
                )
                self.sweeper.start()

    def enqueue(self, submission_id: int, priority: int = 0) -> None:
        """Grade ``submission_id`` on a pool thread unless it is already in flight."""
        self.start()
        with self.lock:
            if submission_id in self.inflight or self.executor is None or self.stopping.is_set():
                return
            self.inflight.add(submission_id)
            self.executor.submit(self._grade, submission_id)

    def _grade(self, submission_id: int) -> None:
        """Grade inside an app context; never let an exception kill the thread silently."""
        try:
            with self.app.app_context():
                outcome = grade_submission(
                    submission_id, self.owner, get_sandbox, self.lease_seconds
                )
                log.info("submission %s: %s", submission_id, outcome)
        except Exception:
            log.exception("submission %s: grading crashed", submission_id)
        finally:
            with self.lock:
                self.inflight.discard(submission_id)

    def sweep(self) -> None:
        """Requeue expired leases and dispatch rows that wait longer than they should."""
        with self.app.app_context():
            for submission_id in sweep_due(db.session):
                self.enqueue(submission_id)

    def _sweep_forever(self) -> None:
        """The sweeper thread's loop."""
        while not self.stopping.wait(self.sweep_seconds):
            try:
                self.sweep()
            except Exception:
                log.exception("grading sweep failed")

    def shutdown(self) -> None:
        """Finish what is running, start nothing new."""
        self.stopping.set()
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


class RQDispatcher:
    """Puts submission ids on a Redis queue for ``flask worker`` processes."""

    def __init__(self, redis_url: str, queue_name: str = RQ_QUEUE) -> None:
        """Connect lazily (no I/O here)."""
        self.redis_url = redis_url
        self.queue_name = queue_name
        self._queue: Queue | None = None

    @property
    def queue(self) -> Queue:
        """The RQ queue, created on first use."""
        if self._queue is None:
            self._queue = Queue(self.queue_name, connection=Redis.from_url(self.redis_url))
        return self._queue

    def enqueue(self, submission_id: int, priority: int = 0) -> None:
        """Enqueue the id; a Redis outage only delays grading (the worker's sweep finds it)."""
        try:
            self.queue.enqueue(
                "assess.grading.worker.run_job",
                submission_id,
                at_front=priority > 0,
                job_timeout=600,
                result_ttl=60,
                failure_ttl=3600,
            )
        except Exception as exc:  # noqa: BLE001 - any Redis failure only delays grading
            log.warning(
                "submission %s: could not reach Redis (%s); the sweeper will retry",
                submission_id,
                type(exc).__name__,
            )

    def shutdown(self) -> None:
        """Nothing held here."""


def build_dispatcher(app: Flask) -> Dispatcher:
    """The dispatcher the configuration asks for."""
    backend = app.config.get("GRADING_BACKEND", "inprocess")
    if backend == "rq":
        if not app.config.get("REDIS_URL"):
            raise RuntimeError("ASSESS_GRADING_BACKEND=rq needs REDIS_URL")
        return RQDispatcher(app.config["REDIS_URL"])
    if not app.config.get("SANDBOX_ENABLED"):
        return NullDispatcher()
    return InProcessDispatcher(
        app,
        workers=int(app.config.get("GRADING_WORKERS", 2)),
        lease_seconds=int(app.config.get("GRADING_LEASE_SECONDS", queue.DEFAULT_LEASE_SECONDS)),
    )


def init_app(app: Flask) -> None:
    """Attach the dispatcher; nothing starts until it is used."""
    app.extensions["grading"] = build_dispatcher(app)


def dispatcher(app: Flask) -> Dispatcher:
    """The app's dispatcher."""
    return app.extensions["grading"]  # type: ignore[no-any-return]
