"""What the platform holds about one candidate, for the candidate: their own export, and
their request to be forgotten (which a recruiter confirms; ``assess.ops.retention`` does the
anonymising).

The export is built from the one invitation the candidate's link names and the attempt it
started, nothing else: their name and email, the position's title, the extra time granted
and what they asked for, their answers as they gave them, their code (the latest drafts and
every submission, with what their page showed of each), the integrity events recorded while
they worked, and the timestamps of all of it. Correct answers, hidden checks (a final
submission is only "graded", as on the candidate's page) and reviewers' notes are not theirs
and are not in it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from assess.errors import InvitationInvalid
from assess.extensions import DbSession
from assess.models import (
    Answer,
    AttemptState,
    CodeDraft,
    CodingTask,
    IntegrityEvent,
    Invitation,
    Question,
    Submission,
    SubmissionKind,
    User,
    utcnow,
)
from assess.ops import retention
from assess.services import audit
from assess.services.invitations import invitation_of

FORMAT = "assess-candidate-data/1"


def find_own_records(session: DbSession, token: str) -> Invitation:
    """The invitation of ``token`` for its candidate's own data: a withdrawn or expired link
    still reaches it (the data is theirs whatever the link's state); a forgotten one does
    not."""
    invitation = invitation_of(session, token)
    if retention.is_forgotten(invitation):
        raise InvitationInvalid("this invitation link is not valid")
    return invitation


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export(session: DbSession, invitation: Invitation) -> dict[str, Any]:
    """The candidate's own records, as one JSON-ready document."""
    attempt = invitation.attempt
    document: dict[str, Any] = {
        "format": FORMAT,
        "exported_at": utcnow().isoformat(),
        "candidate": {"name": invitation.candidate_name, "email": invitation.candidate_email},
        "invitation": {
            "position": invitation.position.title,
            "grade": invitation.position.grade.value,
            "created_at": _iso(invitation.created_at),
            "expires_at": _iso(invitation.expires_at),
            "withdrawn_at": _iso(invitation.revoked_at),
            "erasure_requested_at": _iso(invitation.erasure_requested_at),
            "extra_time_percent": invitation.extra_time_percent,
            "extra_minutes": invitation.extra_minutes,
            "accommodation_request": invitation.accommodation_request,
            "accommodation_requested_at": _iso(invitation.accommodation_requested_at),
            "opened_at": _iso(invitation.opened_at),
            "reminded_at": _iso(invitation.reminded_at),
            "practised_at": _iso(invitation.practised_at),
        },
        "attempt": None,
    }
    if attempt is None:
        return document
    questions = dict(
        session.execute(
            sa.select(Question.id, Question.key)
            .join(Answer, Answer.question_id == Question.id)
            .where(Answer.attempt_id == attempt.id)
        )
        .tuples()
        .all()
    )
    if attempt.adaptive is not None and attempt.state is AttemptState.STARTED:
        # a key names its grade, which would tell whether the answer before it was right
        drawn = {i.question_id: i.position for i in attempt.items if i.question_id is not None}
        questions = {qid: f"question {drawn.get(qid)}" for qid in questions}
    answers = session.scalars(
        sa.select(Answer).where(Answer.attempt_id == attempt.id).order_by(Answer.id)
    ).all()
    tasks = {
        task.id: task.slug
        for task in session.scalars(
            sa.select(CodingTask).where(
                CodingTask.id.in_([i.task_id for i in attempt.items if i.task_id is not None])
            )
        )
    }
    drafts = session.scalars(
        sa.select(CodeDraft).where(CodeDraft.attempt_id == attempt.id).order_by(CodeDraft.id)
    ).all()
    submissions = session.scalars(
        sa.select(Submission).where(Submission.attempt_id == attempt.id).order_by(Submission.id)
    ).all()
    events = session.scalars(
        sa.select(IntegrityEvent)
        .where(IntegrityEvent.attempt_id == attempt.id)
        .order_by(IntegrityEvent.id)
    ).all()
    document["attempt"] = {
        "grade": attempt.grade.value,
        "state": attempt.state.value,
        "started_at": _iso(attempt.started_at),
        "deadline_at": _iso(attempt.deadline_at),
        "finished_at": _iso(attempt.finished_at),
        "extra_minutes": attempt.extra_minutes,
        "break_started_at": _iso(attempt.break_started_at),
        "break_ended_at": _iso(attempt.break_ended_at),
        "items": [
            {
                "position": item.position,
                "question": questions.get(item.question_id) if item.question_id else None,
                "task": tasks.get(item.task_id) if item.task_id else None,
                "seconds_spent": item.seconds_spent,
            }
            for item in attempt.items
        ],
        "answers": [
            {
                "question": questions.get(a.question_id),
                "response": a.response,
                "saved_at": _iso(a.saved_at),
            }
            for a in answers
        ],
        "drafts": [
            {"task": tasks.get(d.task_id), "code": d.code, "saved_at": _iso(d.saved_at)}
            for d in drafts
        ],
        # A final submission shows what the candidate's page shows: that it was graded,
        # never how the hidden checks went (the export must not become their oracle).
        "submissions": [
            {
                "task": tasks.get(s.task_id),
                "kind": s.kind.value,
                "code": s.code,
                "result": s.verdict
                if s.kind is not SubmissionKind.FINAL
                else ("graded" if s.verdict else s.state.value),
                "submitted_at": _iso(s.created_at),
            }
            for s in submissions
        ],
        "integrity_events": [
            {"kind": e.kind, "item": e.item_position, "size": e.size, "at": _iso(e.at)}
            for e in events
        ],
    }
    return document


def request_erasure(session: DbSession, invitation: Invitation, ip: str | None = None) -> bool:
    """Record the candidate's request to be forgotten; False when it was already made. The
    recruiter sees it and confirms the anonymisation."""
    if invitation.erasure_requested_at is not None:
        return False
    invitation.erasure_requested_at = utcnow()
    audit.record(
        session,
        "candidate.erasure_requested",
        object_type="invitation",
        object_id=invitation.id,
        ip=ip,
    )
    return True


def confirm_erasure(
    session: DbSession, invitation: Invitation, actor: User, ip: str | None = None
) -> retention.RetentionReport:
    """Anonymise the invitation and what hangs off it, as retention does (the caller
    commits); returns the retention report."""
    report = retention.forget_invitations(session, [invitation])
    audit.record(
        session,
        "candidate.erased",
        actor_id=actor.id,
        object_type="invitation",
        object_id=invitation.id,
        ip=ip,
        on_request=invitation.erasure_requested_at is not None,
    )
    return report
