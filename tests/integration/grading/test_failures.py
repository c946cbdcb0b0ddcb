"""When the platform itself fails, a submission is retried a bounded number of times and then
marked failed with a reason; it is never lost and never blamed on the candidate."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from assess.extensions import db
from assess.grading import queue, worker
from assess.grading.runner import grade_submission
from assess.models import GradingRun, Submission, SubmissionState
from sandbox import SandboxError
from tests.conftest import BankFactory, Factory, make_attempt


class BrokenSandbox:
    """A sandbox whose engine is gone."""

    image = "broken"

    def grade(self, *args: object) -> None:
        """Fail like an unreachable engine."""
        raise SandboxError("the Docker engine is not reachable")

    def run_samples(self, *args: object) -> None:
        """Fail like an unreachable engine."""
        raise SandboxError("the Docker engine is not reachable")

    def record_golden(self, *args: object) -> None:
        """Fail like an unreachable engine."""
        raise SandboxError("the Docker engine is not reachable")


def queued_submission(factory: Factory, kind: str = "final") -> Submission:
    """A queued submission to the small bank's coding task."""
    attempt, _ = make_attempt(factory)
    item = next(i for i in attempt.items if i.task_id)
    submission = Submission(attempt_id=attempt.id, task_id=item.task_id, kind=kind, code="x = 1")
    db.session.add(submission)
    db.session.commit()
    return submission


def test_platform_failures_are_retried_then_failed(
    app: Flask, bank: BankFactory, factory: Factory
) -> None:
    """Each failure hands the row back to the queue; after the last try it fails with a reason."""
    submission = queued_submission(factory)
    outcomes = [
        grade_submission(submission.id, f"w{n}", BrokenSandbox, lease_seconds=5)  # type: ignore[arg-type]
        for n in range(queue.MAX_TRIES)
    ]
    assert outcomes == ["platform-error"] * queue.MAX_TRIES
    db.session.expire_all()
    failed = db.session.get(Submission, submission.id)
    assert failed.state is SubmissionState.FAILED
    assert failed.verdict == "error"
    run = db.session.scalar(sa.select(GradingRun).where(GradingRun.submission_id == submission.id))
    assert "grading is unavailable" in run.result["reason"]
    assert grade_submission(submission.id, "late", BrokenSandbox) == "skipped"  # type: ignore[arg-type]


def test_a_sample_run_on_a_broken_engine_goes_back_to_the_queue(
    app: Flask, bank: BankFactory, factory: Factory
) -> None:
    """One platform failure leaves a sample run queued for the next try."""
    submission = queued_submission(factory, kind="sample")
    assert grade_submission(submission.id, "w", BrokenSandbox) == "platform-error"  # type: ignore[arg-type]
    db.session.expire_all()
    again = db.session.get(Submission, submission.id)
    assert again.state is SubmissionState.QUEUED
    assert again.tries == 1
    assert again.lease_owner is None


class RecordingQueue:
    """Stands in for an RQ queue and remembers what was sent."""

    def __init__(self) -> None:
        """Start empty."""
        self.sent: list[int] = []

    def enqueue(self, function: object, submission_id: int, **options: object) -> None:
        """Remember the id."""
        self.sent.append(submission_id)


def test_worker_sweep_resends_stale_rows(app: Flask, bank: BankFactory, factory: Factory) -> None:
    """The worker's sweep re-sends rows that waited too long (a lost Redis message)."""
    from datetime import timedelta

    from assess.models import utcnow

    submission = queued_submission(factory)
    submission.created_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    sent = RecordingQueue()
    assert worker.sweep_once(sent) == 1  # type: ignore[arg-type]
    assert sent.sent == [submission.id]


def _expired_and_stale(factory: Factory) -> tuple[Submission, Submission]:
    """A row whose grader's lease ran out and a queued row whose message was lost."""
    from datetime import timedelta

    from assess.models import utcnow

    leased = queued_submission(factory)
    assert queue.claim(db.session, leased.id, "gone", 1)
    leased.lease_expires_at = utcnow() - timedelta(seconds=5)
    stale = queued_submission(factory)
    stale.created_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    return leased, stale


def test_both_dispatchers_sweep_alike(app: Flask, bank: BankFactory, factory: Factory) -> None:
    """The in-process sweeper and the RQ worker's sweep send the same rows: the lease just
    reaped at once, then the stale queued row, each once."""
    from assess.grading.dispatch import InProcessDispatcher

    leased, stale = _expired_and_stale(factory)
    sent = RecordingQueue()
    assert worker.sweep_once(sent) == 2  # type: ignore[arg-type]
    assert sent.sent == [leased.id, stale.id]

    leased, stale = _expired_and_stale(factory)
    dispatcher = InProcessDispatcher(app)
    enqueued: list[int] = []
    dispatcher.enqueue = lambda submission_id, priority=0: enqueued.append(submission_id)  # type: ignore[method-assign]
    dispatcher.sweep()
    assert leased.id in enqueued and stale.id in enqueued
    assert len(enqueued) == len(set(enqueued))
