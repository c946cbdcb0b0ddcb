"""The interviewers' side: who may see an attempt, assignments, the review queue, re-grading
a submission after a bank fix, and what changed between two grading runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from assess.errors import Conflict, NotFound, ValidationFailed
from assess.extensions import DbSession
from assess.models import (
    Attempt,
    AttemptItem,
    AttemptState,
    CodingTask,
    InterviewAssignment,
    InterviewScorecard,
    Invitation,
    Position,
    Role,
    Submission,
    SubmissionKind,
    SubmissionState,
    User,
)
from assess.services import audit

INTERVIEWING_ROLES = (Role.INTERVIEWER, Role.ADMIN)
MAX_ID = 2**31 - 1  # ids are 32-bit integers; a larger one in a URL names nothing


def valid_id(value: int) -> bool:
    """Whether ``value`` can be a row id (larger numbers would overflow the database type)."""
    return 0 < value <= MAX_ID


def organisation_of(attempt: Attempt) -> int:
    """The organisation whose position the attempt belongs to."""
    return attempt.invitation.position.organization_id


def is_assigned(session: DbSession, attempt: Attempt, user: User) -> bool:
    """Whether ``user`` is assigned to interview ``attempt``'s candidate."""
    found = session.scalar(
        sa.select(InterviewAssignment.id).where(
            InterviewAssignment.attempt_id == attempt.id,
            InterviewAssignment.interviewer_id == user.id,
        )
    )
    return found is not None


def visible_attempt(session: DbSession, user: User, attempt_id: int) -> Attempt:
    """The attempt if ``user`` may see it: recruiters and admins within their organisation,
    interviewers only when assigned to it. Anything else is NotFound (never a hint)."""
    attempt = session.get(Attempt, attempt_id) if valid_id(attempt_id) else None
    if attempt is None or organisation_of(attempt) != user.organization_id:
        raise NotFound("no such attempt")
    if user.role is Role.INTERVIEWER and not is_assigned(session, attempt, user):
        raise NotFound("no such attempt")
    return attempt


def reviewable_attempt(session: DbSession, user: User, attempt_id: int) -> Attempt:
    """An attempt for the interviewer's desk: visible to ``user`` and no longer running."""
    attempt = visible_attempt(session, user, attempt_id)
    if attempt.state is AttemptState.STARTED:
        raise NotFound("this attempt is still in progress")
    return attempt


def interviewers(session: DbSession, organization_id: int) -> list[User]:
    """Active staff of the organisation who can interview, by name."""
    return list(
        session.scalars(
            sa.select(User)
            .where(
                User.organization_id == organization_id,
                User.role.in_(INTERVIEWING_ROLES),
                User.is_active_account.is_(True),
            )
            .order_by(User.name, User.email)
        )
    )


def assignees(session: DbSession, attempt: Attempt) -> list[tuple[InterviewAssignment, User]]:
    """Who is assigned to the attempt, in the order they were assigned."""
    return [
        (assignment, user)
        for assignment, user in session.execute(
            sa.select(InterviewAssignment, User)
            .join(User, User.id == InterviewAssignment.interviewer_id)
            .where(InterviewAssignment.attempt_id == attempt.id)
            .order_by(InterviewAssignment.id)
        ).tuples()
    ]


def assign(
    session: DbSession, attempt: Attempt, interviewer_id: int, by: User, ip: str | None = None
) -> InterviewAssignment:
    """Assign an interviewer of the attempt's organisation to it (audited)."""
    interviewer = session.get(User, interviewer_id) if valid_id(interviewer_id) else None
    if (
        interviewer is None
        or interviewer.organization_id != organisation_of(attempt)
        or interviewer.role not in INTERVIEWING_ROLES
        or not interviewer.is_active_account
    ):
        raise ValidationFailed(
            "choose an interviewer of this organisation", {"interviewer": "unknown"}
        )
    if is_assigned(session, attempt, interviewer):
        raise Conflict("this interviewer is already assigned")
    assignment = InterviewAssignment(
        attempt_id=attempt.id, interviewer_id=interviewer.id, assigned_by_id=by.id
    )
    session.add(assignment)
    audit.record(
        session,
        "interview.assigned",
        actor_id=by.id,
        object_type="attempt",
        object_id=attempt.id,
        ip=ip,
        interviewer=interviewer.id,
    )
    session.flush()
    return assignment


def unassign(
    session: DbSession, attempt: Attempt, interviewer_id: int, by: User, ip: str | None = None
) -> None:
    """Withdraw an assignment (the interviewer's recorded scores stay, audited)."""
    if not valid_id(interviewer_id):
        raise NotFound("no such assignment")
    assignment = session.scalar(
        sa.select(InterviewAssignment).where(
            InterviewAssignment.attempt_id == attempt.id,
            InterviewAssignment.interviewer_id == interviewer_id,
        )
    )
    if assignment is None:
        raise NotFound("no such assignment")
    session.delete(assignment)
    audit.record(
        session,
        "interview.unassigned",
        actor_id=by.id,
        object_type="attempt",
        object_id=attempt.id,
        ip=ip,
        interviewer=interviewer_id,
    )
    session.flush()


@dataclass(frozen=True)
class QueueRow:
    """One attempt on an interviewer's desk."""

    attempt: Attempt
    candidate: str
    position: str
    assigned_at: datetime
    recommended_grade: str | None
    interviewed: bool


def desk_queue(session: DbSession, user: User) -> list[QueueRow]:
    """Finished attempts assigned to ``user``: not yet interviewed first, oldest first
    (two queries whatever the length)."""
    rows = (
        session.execute(
            sa.select(
                Attempt, Invitation.candidate_name, Position.title, InterviewAssignment.assigned_at
            )
            .join(InterviewAssignment, InterviewAssignment.attempt_id == Attempt.id)
            .join(Invitation, Invitation.id == Attempt.invitation_id)
            .join(Position, Position.id == Invitation.position_id)
            .where(
                InterviewAssignment.interviewer_id == user.id,
                Attempt.state != AttemptState.STARTED,
                Position.organization_id == user.organization_id,
            )
            .order_by(Attempt.finished_at, Attempt.id)
        )
        .tuples()
        .all()
    )
    done = (
        set(
            session.scalars(
                sa.select(InterviewScorecard.attempt_id).where(
                    InterviewScorecard.interviewer_id == user.id,
                    InterviewScorecard.recommendation.is_not(None),
                    InterviewScorecard.attempt_id.in_([a.id for a, *_ in rows]),
                )
            )
        )
        if rows
        else set()
    )
    queue = [
        QueueRow(
            attempt,
            name,
            title,
            assigned_at,
            (attempt.scorecard or {}).get("recommended_grade"),
            attempt.id in done,
        )
        for attempt, name, title, assigned_at in rows
    ]
    return sorted(queue, key=lambda row: row.interviewed)


def counted_submission(session: DbSession, attempt: Attempt, task_id: int) -> Submission | None:
    """The final submission that counts for a task of the attempt (the last one)."""
    return session.scalar(
        sa.select(Submission)
        .where(
            Submission.attempt_id == attempt.id,
            Submission.task_id == task_id,
            Submission.kind == SubmissionKind.FINAL,
        )
        .order_by(Submission.id.desc())
        .limit(1)
    )


def regrade(
    session: DbSession, attempt: Attempt, submission_id: int, by: User, ip: str | None = None
) -> Submission:
    """Queue the counted final submission for grading again, against the task's current
    version when the bank was fixed since (the attempt's item moves with it). The runner
    appends a new grading run, so the history keeps the old verdict beside the new one.
    The caller commits and then hands the id to the dispatcher."""
    submission = session.get(Submission, submission_id) if valid_id(submission_id) else None
    if submission is None or submission.attempt_id != attempt.id:
        raise NotFound("no such submission")
    if submission.kind is not SubmissionKind.FINAL:
        raise Conflict("only a final submission is graded")
    if submission.state in (SubmissionState.QUEUED, SubmissionState.RUNNING):
        raise Conflict("this submission is already being graded")
    counted = counted_submission(session, attempt, submission.task_id)
    if counted is None or counted.id != submission.id:
        raise Conflict("only the submission that counts can be re-graded")
    task = session.get(CodingTask, submission.task_id)
    assert task is not None
    current = session.scalar(
        sa.select(CodingTask)
        .where(CodingTask.slug == task.slug, CodingTask.is_current)
        .order_by(CodingTask.version.desc())
        .limit(1)
    )
    target = current if current is not None and current.version > task.version else task
    if target.id != task.id:
        session.execute(
            sa.update(AttemptItem)
            .where(AttemptItem.attempt_id == attempt.id, AttemptItem.task_id == task.id)
            .values(task_id=target.id)
        )
        submission.task_id = target.id
    submission.state = SubmissionState.QUEUED
    submission.tries = 0
    submission.lease_owner = None
    submission.lease_expires_at = None
    submission.finished_at = None
    audit.record(
        session,
        "submission.regraded",
        actor_id=by.id,
        object_type="submission",
        object_id=submission.id,
        ip=ip,
        task=task.slug,
        from_version=task.version,
        to_version=target.version,
    )
    session.flush()
    return submission


@dataclass(frozen=True)
class ProbeChange:
    """One probe across two runs (None: the probe did not exist in that run)."""

    id: str
    before: bool | None
    after: bool | None

    @property
    def changed(self) -> bool:
        """Whether the outcome differs."""
        return self.before != self.after


@dataclass(frozen=True)
class RunChanges:
    """What changed between a submission's two most recent grading runs."""

    verdict_before: str
    verdict_after: str
    score_before: float
    score_after: float
    probes: tuple[ProbeChange, ...]

    @property
    def changed(self) -> tuple[ProbeChange, ...]:
        """Only the probes whose outcome changed."""
        return tuple(p for p in self.probes if p.changed)


def _outcomes(result: dict[str, Any]) -> dict[str, bool]:
    """Probe id to passed, from a stored run result (malformed entries are skipped)."""
    outcomes = {}
    for test in result.get("tests") or []:
        if isinstance(test, dict) and isinstance(test.get("id"), str):
            outcomes[test["id"]] = bool(test.get("passed"))
    return outcomes


def run_changes(before: dict[str, Any], after: dict[str, Any]) -> RunChanges:
    """Compare two stored run results probe by probe (pure)."""
    old, new = _outcomes(before), _outcomes(after)
    order = list(new) + [probe for probe in old if probe not in new]
    return RunChanges(
        verdict_before=str(before.get("verdict", "")),
        verdict_after=str(after.get("verdict", "")),
        score_before=float(before.get("score") or 0.0),
        score_after=float(after.get("score") or 0.0),
        probes=tuple(ProbeChange(p, old.get(p), new.get(p)) for p in order),
    )
