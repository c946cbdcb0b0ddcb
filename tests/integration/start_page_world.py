"""The data of the start page's tests: an organisation with something on every line of
every role's start page, and bulk candidates to show that the page's statements do not grow."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from assess.extensions import db
from assess.models import (
    Attempt,
    AttemptState,
    GradeCode,
    InterviewAssignment,
    Invitation,
    Organization,
    Position,
    Role,
    Submission,
    SubmissionKind,
    SubmissionState,
    User,
    utcnow,
)
from assess.models.live import LiveInterview
from assess.services import invitations
from tests.conftest import PASSWORD, Factory
from tests.integration.review import builders


@dataclass
class Team:
    """One organisation's staff and the data every line of their start page shows."""

    organization: Organization
    recruiter: User
    interviewer: User
    admin: User
    position: Position
    queued: Attempt  # assigned to the interviewer, interview not recorded
    waiting: Attempt  # finished, nobody assigned
    expiring: Invitation  # expires within 48 hours, never opened
    unopened: Invitation  # never opened, expires later
    live_id: int  # a live interview today, for the queued candidate


def build_team(factory: Factory, label: str) -> Team:
    """An organisation whose start pages have something on every line. ``label`` goes into
    every name, so a page can be searched for another organisation's data."""
    org = factory.organization(f"{label} Ltd")
    recruiter = factory.user(
        Role.RECRUITER, f"{label.lower()}-recruiter@example.com", PASSWORD, org
    )
    interviewer = factory.user(
        Role.INTERVIEWER, f"{label.lower()}-interviewer@example.com", PASSWORD, org
    )
    admin = factory.user(Role.ADMIN, f"{label.lower()}-admin@example.com", PASSWORD, org)
    position = invitations.create_position(
        db.session, recruiter, f"{label} Backend", GradeCode.JUNIOR
    )
    # Five candidates answer every question right: the item statistics flag them too easy.
    finished = [
        builders.finished_attempt(position, recruiter, f"{label} Candidate {n}", seed=n)
        for n in range(1, 6)
    ]
    queued, waiting = finished[0], finished[1]
    for attempt in finished:
        if attempt is not waiting:
            builders.assign(attempt, interviewer, recruiter)
    soon, _ = invitations.invite(
        db.session, position, f"{label} Soon", f"{label.lower()}-soon@example.com", recruiter
    )
    soon.expires_at = utcnow() + timedelta(hours=10)
    later, _ = invitations.invite(
        db.session, position, f"{label} Later", f"{label.lower()}-later@example.com", recruiter
    )
    live = LiveInterview(
        organization_id=org.id,
        attempt_id=queued.id,
        title=f"{label} pairing",
        scheduled_for=utcnow(),
        token_hash=secrets.token_hex(32),
        token_expires_at=utcnow() + timedelta(days=1),
        created_by_id=recruiter.id,
    )
    db.session.add(live)
    task = builders.word_task()
    db.session.add(
        Submission(
            attempt_id=queued.id,
            task_id=task.id,
            kind=SubmissionKind.FINAL,
            code="pass",
            state=SubmissionState.QUEUED,
            created_at=utcnow() - timedelta(minutes=5),
        )
    )
    db.session.add(
        Submission(
            attempt_id=waiting.id,
            task_id=task.id,
            kind=SubmissionKind.FINAL,
            code="pass",
            state=SubmissionState.FAILED,
            tries=3,
            finished_at=utcnow() - timedelta(minutes=10),
        )
    )
    db.session.commit()
    return Team(org, recruiter, interviewer, admin, position, queued, waiting, soon, later, live.id)


def add_candidates(team: Team, count: int, *, positions: int = 0) -> None:
    """``count`` more candidates of every kind (bulk inserted): unopened, expiring and
    opened invitations, finished attempts with and without an interviewer, scored ones and
    queued submissions; and ``positions`` more open positions."""
    now = utcnow()
    for n in range(positions):
        db.session.add(
            Position(
                organization_id=team.organization.id,
                title=f"Extra position {n}",
                grade=GradeCode.JUNIOR,
                created_by_id=team.recruiter.id,
            )
        )
    db.session.flush()
    tag = secrets.token_hex(4)
    rows: list[dict[str, Any]] = []
    for n in range(count):
        rows.append(
            {
                "position_id": team.position.id,
                "candidate_name": f"Bulk {n}",
                "candidate_email": f"bulk{n}-{tag}@example.com",
                "token_hash": f"{tag}-{n}",
                "expires_at": now + timedelta(hours=10 if n % 4 == 0 else 24 * 7),
                "opened_at": now if n % 4 == 1 else None,
                "created_at": now - timedelta(days=1),
            }
        )
    db.session.execute(sa.insert(Invitation), rows)
    ids = dict(
        db.session.execute(
            sa.select(Invitation.token_hash, Invitation.id).where(
                Invitation.token_hash.like(f"{tag}-%")
            )
        )
        .tuples()
        .all()
    )
    started = [ids[f"{tag}-{n}"] for n in range(count) if n % 4 in (2, 3)]
    attempts: list[dict[str, Any]] = [
        {
            "invitation_id": invitation_id,
            "grade": GradeCode.JUNIOR,
            "seed": n,
            "state": AttemptState.FINISHED,
            "started_at": now - timedelta(hours=3),
            "deadline_at": now - timedelta(hours=2),
            "finished_at": now - timedelta(hours=2, minutes=n % 50),
            "session_hash": "x" * 64,
            "scorecard": {"recommended_grade": "junior"} if n % 2 else None,
            "scored_at": now - timedelta(minutes=n % 50) if n % 2 else None,
        }
        for n, invitation_id in enumerate(started)
    ]
    db.session.execute(sa.insert(Attempt), attempts)
    attempt_ids = db.session.scalars(
        sa.select(Attempt.id).where(Attempt.invitation_id.in_(started))
    ).all()
    db.session.execute(
        sa.insert(InterviewAssignment),
        [
            {
                "attempt_id": attempt_id,
                "interviewer_id": team.interviewer.id,
                "assigned_by_id": team.recruiter.id,
                "assigned_at": now - timedelta(minutes=n),
            }
            for n, attempt_id in enumerate(attempt_ids)
            if n % 2
        ],
    )
    task = builders.word_task()
    db.session.execute(
        sa.insert(Submission),
        [
            {
                "attempt_id": attempt_id,
                "task_id": task.id,
                "kind": SubmissionKind.FINAL,
                "code": "pass",
                "state": SubmissionState.QUEUED if n % 3 else SubmissionState.FAILED,
                "tries": n % 3,
                "created_at": now - timedelta(minutes=n % 30),
                "finished_at": None if n % 3 else now - timedelta(minutes=5),
            }
            for n, attempt_id in enumerate(attempt_ids)
        ],
    )
    db.session.commit()
