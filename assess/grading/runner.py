"""Grading one submission: claim it, run it in the sandbox while heartbeating the lease,
record the run and the verdict, and recompute the attempt's scorecard."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

from assess.bank.taskspec import task_from_json
from assess.extensions import DbSession, db
from assess.grading import queue
from assess.models import (
    Attempt,
    CodingTask,
    GradingRun,
    Submission,
    SubmissionKind,
    SubmissionState,
    utcnow,
)
from assess.observability import bind_submission  # ops: log context
from assess.observability.grading import record_grading  # ops: metrics
from assess.services import scorecards
from sandbox import Golden, RunResult, Sandbox, SandboxError

log = logging.getLogger(__name__)

_golden_lock = threading.Lock()


class Heartbeat:
    """Extends a lease in the background while a submission is graded."""

    def __init__(self, app: Flask, submission_id: int, owner: str, lease_seconds: int) -> None:
        """Prepare; the beat interval is a third of the lease."""
        self.app, self.submission_id, self.owner = app, submission_id, owner
        self.lease_seconds = lease_seconds
        self.stop = threading.Event()
        self.lost = False
        self.thread = threading.Thread(target=self._run, daemon=True, name="lease-heartbeat")

    def _run(self) -> None:
        """Beat until stopped; note a lost lease."""
        with self.app.app_context():
            while not self.stop.wait(max(1.0, self.lease_seconds / 3)):
                if not queue.heartbeat(
                    db.session, self.submission_id, self.owner, self.lease_seconds
                ):
                    self.lost = True
                    return

    def __enter__(self) -> Heartbeat:
        """Start beating."""
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop beating."""
        self.stop.set()
        self.thread.join(timeout=5)


def ensure_golden(session: DbSession, task: CodingTask, sandbox: Sandbox) -> Golden:
    """The task's golden observations for this sandbox image, recorded now if missing."""
    with _golden_lock:
        session.refresh(task)
        if task.golden and task.golden_image == sandbox.image:
            return Golden.from_json(json.dumps(task.golden))
        golden = sandbox.record_golden(task_from_json(task.spec))
        task.golden = json.loads(golden.to_json())
        task.golden_image = sandbox.image
        session.commit()
        return golden


def execute(session: DbSession, submission: Submission, sandbox: Sandbox) -> RunResult:
    """Run a claimed submission in the sandbox: sample tests, or the hidden probes."""
    task = session.get(CodingTask, submission.task_id)
    assert task is not None
    spec = task_from_json(task.spec)
    source = submission.code.encode("utf-8")
    if submission.kind is SubmissionKind.SAMPLE:
        return sandbox.run_samples(spec, source)
    return sandbox.grade(spec, source, ensure_golden(session, task, sandbox))


def grade_submission(
    submission_id: int,
    owner: str,
    sandbox_factory: Callable[[], Sandbox],
    lease_seconds: int = queue.DEFAULT_LEASE_SECONDS,
) -> str:
    """Grade one submission if we can claim it. Returns what happened, for logs and tests:
    ``graded``, ``skipped`` (not ours to grade), ``lost`` (lease lost) or ``platform-error``.
    """
    session = db.session
    bind_submission(submission_id)  # ops: log lines carry the submission id
    if not queue.claim(session, submission_id, owner, lease_seconds):
        return "skipped"
    submission = session.get(Submission, submission_id)
    assert submission is not None
    session.refresh(submission)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    started = utcnow()
    try:
        with Heartbeat(app, submission_id, owner, lease_seconds) as beat:
            result = execute(session, submission, sandbox_factory())
    except (SandboxError, OSError) as exc:
        log.warning(
            "grading submission %s failed on the platform: %s", submission_id, type(exc).__name__
        )
        session.rollback()
        _platform_failure(session, submission_id, owner, str(exc))
        record_grading(submission, "platform-error", started)  # ops: metrics
        return "platform-error"
    if beat.lost:
        session.rollback()
        return "lost"
    return "graded" if _record(session, submission, owner, result, started) else "lost"


def _record(
    session: DbSession, submission: Submission, owner: str, result: RunResult, started: Any
) -> bool:
    """Store the run and verdict while holding the lease; recompute the scorecard."""
    task = session.get(CodingTask, submission.task_id)
    assert task is not None
    if not queue.complete(session, submission.id, owner, result.verdict.value, result.score):
        session.rollback()
        return False
    session.add(
        GradingRun(
            submission_id=submission.id,
            task_version=task.version,
            image=task.golden_image or "",
            verdict=result.verdict.value,
            score=result.score,
            result=result.to_json(),
            started_at=started,
            finished_at=utcnow(),
        )
    )
    if submission.kind is SubmissionKind.FINAL:
        attempt = session.get(Attempt, submission.attempt_id)
        assert attempt is not None
        session.flush()
        session.expire(submission)
        scorecards.recompute(session, attempt)
    session.commit()
    record_grading(submission, result.verdict.value, started)  # ops: metrics
    return True


def _platform_failure(session: DbSession, submission_id: int, owner: str, reason: str) -> None:
    """A platform failure: back to the queue for another try, or failed when out of tries."""
    submission = session.get(Submission, submission_id)
    if submission is None or submission.lease_owner != owner:
        return
    if submission.tries >= queue.MAX_TRIES:
        queue.complete(session, submission_id, owner, "error", 0.0, SubmissionState.FAILED)
        session.add(
            GradingRun(
                submission_id=submission_id,
                task_version=0,
                verdict="error",
                score=0.0,
                result={"verdict": "error", "reason": "grading is unavailable: " + reason[:300]},
                finished_at=utcnow(),
            )
        )
    else:
        submission.state = SubmissionState.QUEUED
        submission.lease_owner = None
        submission.lease_expires_at = None
    session.commit()
