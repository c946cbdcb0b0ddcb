"""Coding submissions from the candidate's page: sample runs and final submissions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from assess.errors import NotFound, RateLimited, ValidationFailed
from assess.extensions import DbSession
from assess.grading import queue
from assess.models import (
    Attempt,
    GradingRun,
    Submission,
    SubmissionKind,
    SubmissionState,
    utcnow,
)
from assess.services import sections, throttle
from assess.services.attempts import check_workspace, item_at, require_open, save_draft

SAMPLE_RUNS_PER_MINUTE = 6
FINAL_SUBMISSIONS_PER_TASK = 20
SAMPLE_PRIORITY = 10
CANDIDATE_VISIBLE_REASONS = {"rejected"}


def submit_code(
    session: DbSession,
    attempt: Attempt,
    position: int,
    code: str,
    kind: SubmissionKind,
    now: datetime | None = None,
) -> Submission:
    """Queue the code of a task: a sample run (visible tests) or a final submission.

    The code is saved as the draft too, so what was sent is never lost. Sample runs are
    rate limited per attempt; final submissions are bounded per task.
    """
    now = now or utcnow()
    require_open(attempt, now)
    item = item_at(attempt, position)
    if item.task_id is None:
        raise ValidationFailed("this item is a question", {"position": "not a coding task"})
    sections.require(attempt, "task", now)
    if not code.strip():
        raise ValidationFailed("the code is empty", {"code": "empty"})
    check_workspace(session, item.task_id, code)  # before a run is counted or queued
    if kind is SubmissionKind.SAMPLE:
        key = f"samples:attempt:{attempt.id}"
        ticket = throttle.take(session, key, 60, throttle.at_most(SAMPLE_RUNS_PER_MINUTE))
        if not ticket.allowed:
            raise RateLimited("too many sample runs; wait a minute", ticket.retry_after)
    else:
        count = session.scalar(
            sa.select(sa.func.count())
            .select_from(Submission)
            .where(
                Submission.attempt_id == attempt.id,
                Submission.task_id == item.task_id,
                Submission.kind == SubmissionKind.FINAL,
            )
        )
        if (count or 0) >= FINAL_SUBMISSIONS_PER_TASK:
            raise RateLimited("the number of submissions for this task is used up", retry_after=0)
    save_draft(session, attempt, position, code, revision=None, now=now)
    submission = Submission(
        attempt_id=attempt.id,
        task_id=item.task_id,
        kind=kind,
        code=code,
        priority=SAMPLE_PRIORITY if kind is SubmissionKind.SAMPLE else 0,
        created_at=now,
    )
    session.add(submission)
    session.flush()
    return submission


def candidate_status(session: DbSession, attempt: Attempt, submission_id: int) -> dict[str, Any]:
    """What the candidate may know of a submission: its state, its place in the queue, and
    for sample runs the visible tests' outcomes. A final submission shows that it was graded,
    never how the hidden probes went."""
    submission = session.get(Submission, submission_id)
    if submission is None or submission.attempt_id != attempt.id:
        raise NotFound("no such submission")
    status: dict[str, Any] = {
        "id": submission.id,
        "kind": submission.kind.value,
        "state": submission.state.value,
        "queue_position": queue.position_in_queue(session, submission),
    }
    if submission.state not in (SubmissionState.DONE, SubmissionState.FAILED):
        return status
    run = session.scalar(
        sa.select(GradingRun)
        .where(GradingRun.submission_id == submission.id)
        .order_by(GradingRun.id.desc())
        .limit(1)
    )
    result = run.result if run else {}
    if submission.state is SubmissionState.FAILED:
        status["message"] = "grading failed on our side; your code is saved and will count"
        return status
    if submission.kind is SubmissionKind.SAMPLE:
        status.update(
            verdict=result.get("verdict"),
            reason=result.get("reason", ""),
            tests=[
                {k: t.get(k) for k in ("id", "passed", "message", "stdout")}
                for t in result.get("tests", [])
            ],
            stdout=result.get("stdout", ""),
            stderr=result.get("stderr", ""),
        )
    elif result.get("verdict") in CANDIDATE_VISIBLE_REASONS:
        status.update(verdict=result.get("verdict"), reason=result.get("reason", ""))
    else:
        status["verdict"] = "graded"
    return status
