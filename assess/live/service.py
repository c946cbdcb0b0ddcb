"""Live interviews as business rules: who may open, join, observe and end one, the
candidate's link, notes, and what an ended interview hands over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from assess import webhooks
from assess.api.representations import iso
from assess.errors import Forbidden, NotFound, ValidationFailed
from assess.extensions import DbSession
from assess.models import Attempt, CodingTask, Role, User, utcnow
from assess.models.live import LiveInterview, LiveNote, LiveRun, LiveState, LiveUpdate
from assess.services import audit
from assess.services.invitations import hash_token, new_token
from assess.services.review import is_assigned, organisation_of, valid_id, visible_attempt

LINK_LIFETIME = timedelta(days=7)
MAX_TITLE = 200
MAX_NOTE = 2000
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")


@dataclass(frozen=True)
class Participant:
    """Who is on the other end of a page or socket, as the room shows them."""

    role: str  # "staff" | "candidate"
    name: str
    color: str
    user_id: int | None = None

    def identity(self) -> dict[str, str]:
        """What presence shows of this participant (never an email or a role)."""
        return {"name": self.name, "color": self.color, "colorLight": self.color + "33"}


def staff_participant(user: User) -> Participant:
    """A staff member in a room: their name, a stable colour."""
    return Participant("staff", user.name or user.email, PALETTE[user.id % len(PALETTE)], user.id)


def candidate_participant(interview: LiveInterview) -> Participant:
    """The candidate in a room, named as the invitation names them."""
    name = interview.attempt.invitation.candidate_name or "Candidate"
    return Participant("candidate", name, "#e6550d")


def may_open(session: DbSession, user: User, attempt: Attempt) -> bool:
    """Recruiters and admins of the attempt's organisation, and interviewers assigned to it."""
    if organisation_of(attempt) != user.organization_id:
        return False
    return user.role is not Role.INTERVIEWER or is_assigned(session, attempt, user)


def schedule(
    session: DbSession,
    user: User,
    attempt_id: int,
    title: str,
    task_slug: str | None,
    scheduled_for: datetime | None = None,
) -> tuple[LiveInterview, str]:
    """Open a live interview for an attempt's candidate; returns it and the candidate's
    one-time link token (only its hash is stored)."""
    attempt = visible_attempt(session, user, attempt_id)
    if not may_open(session, user, attempt):
        raise Forbidden("only an assigned interviewer or a recruiter opens a live interview")
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        raise ValidationFailed("the title needs 1 to 200 characters", {"title": "1 to 200"})
    task = None
    if task_slug:
        task = session.scalar(
            sa.select(CodingTask).where(CodingTask.slug == task_slug, CodingTask.is_current)
        )
        if task is None:
            raise ValidationFailed("no such coding task", {"task": "unknown task"})
    token = new_token()
    interview = LiveInterview(
        organization_id=organisation_of(attempt),
        attempt_id=attempt.id,
        title=title,
        task_id=task.id if task else None,
        scheduled_for=scheduled_for,
        token_hash=hash_token(token),
        token_expires_at=utcnow() + LINK_LIFETIME,
        created_by_id=user.id,
    )
    session.add(interview)
    session.flush()
    audit.record(
        session,
        "live.scheduled",
        actor_id=user.id,
        object_type="live_interview",
        object_id=interview.id,
        attempt=attempt.id,
    )
    return interview, token


def staff_interview(session: DbSession, user: User, interview_id: int) -> LiveInterview:
    """The interview if ``user`` is staff of its organisation (observers included), else
    NotFound: another organisation's interview is never even hinted at."""
    interview = session.get(LiveInterview, interview_id) if valid_id(interview_id) else None
    if interview is None or interview.organization_id != user.organization_id:
        raise NotFound("no such live interview")
    return interview


def interview_for_token(session: DbSession, token: str) -> LiveInterview:
    """The interview a candidate's link opens, while the link is valid."""
    if not token or len(token) > 100:
        raise NotFound("this interview link is not valid")
    interview = session.scalar(
        sa.select(LiveInterview).where(LiveInterview.token_hash == hash_token(token))
    )
    if interview is None or not link_is_valid(interview):
        raise NotFound("this interview link is not valid")
    return interview


def link_is_valid(interview: LiveInterview) -> bool:
    """Whether the candidate's link still opens the room."""
    return (
        interview.token_revoked_at is None
        and interview.state is not LiveState.ENDED
        and interview.token_expires_at > utcnow()
    )


def mark_live(session: DbSession, interview: LiveInterview) -> None:
    """The first time someone joins, the interview is live."""
    if interview.state is LiveState.SCHEDULED:
        interview.state = LiveState.LIVE
        interview.started_at = utcnow()


def revoke_link(session: DbSession, user: User, interview: LiveInterview) -> None:
    """Stop the candidate's link from opening the room (their open socket is closed too)."""
    interview.token_revoked_at = utcnow()
    audit.record(
        session,
        "live.link_revoked",
        actor_id=user.id,
        object_type="live_interview",
        object_id=interview.id,
    )


def add_note(session: DbSession, user: User, interview: LiveInterview, text: str) -> LiveNote:
    """A timestamped private note by a staff member."""
    text = text.strip()
    if not text or len(text) > MAX_NOTE:
        raise ValidationFailed("a note needs 1 to 2000 characters", {"text": "1 to 2000"})
    if "\x00" in text:
        raise ValidationFailed("a note may not contain NUL characters", {"text": "NUL"})
    note = LiveNote(interview_id=interview.id, author_id=user.id, text=text)
    session.add(note)
    session.flush()
    return note


def end(
    session: DbSession, user: User, interview: LiveInterview, files: dict[str, str]
) -> LiveInterview:
    """Freeze the document, revoke the link, keep the final files."""
    if interview.state is LiveState.ENDED:
        raise ValidationFailed("this interview has already ended", {})
    if user.role is Role.INTERVIEWER and not is_assigned(session, interview.attempt, user):
        raise Forbidden("only an assigned interviewer or a recruiter ends the interview")
    now = utcnow()
    interview.state = LiveState.ENDED
    interview.ended_at = now
    interview.ended_by_id = user.id
    interview.token_revoked_at = interview.token_revoked_at or now
    interview.final_files = dict(files)
    audit.record(
        session,
        "live.ended",
        actor_id=user.id,
        object_type="live_interview",
        object_id=interview.id,
        attempt=interview.attempt_id,
    )
    webhooks.emit(
        session,
        webhooks.INTERVIEW_FINISHED,
        interview.attempt,
        {"interview": finished_json(interview)},
    )
    return interview


def finished_json(interview: LiveInterview) -> dict[str, Any]:
    """What an ``interview.finished`` event tells: the interview's facts, never its private
    notes, scores or code (those stay in the app, behind its access rules)."""
    return {
        "id": interview.id,
        "title": interview.title,
        "started_at": iso(interview.started_at) if interview.started_at else None,
        "ended_at": iso(interview.ended_at) if interview.ended_at else None,
        "runs": interview.runs_started,
    }


def interviews_of_attempt(session: DbSession, attempt: Attempt) -> list[LiveInterview]:
    """The attempt's live interviews, newest first."""
    return list(
        session.scalars(
            sa.select(LiveInterview)
            .where(LiveInterview.attempt_id == attempt.id)
            .order_by(LiveInterview.id.desc())
        )
    )


def runs(session: DbSession, interview: LiveInterview) -> list[LiveRun]:
    """Every run of the interview, in order."""
    return list(
        session.scalars(
            sa.select(LiveRun).where(LiveRun.interview_id == interview.id).order_by(LiveRun.id)
        )
    )


def notes(session: DbSession, interview: LiveInterview) -> list[LiveNote]:
    """Every note of the interview, in order."""
    return list(
        session.scalars(
            sa.select(LiveNote).where(LiveNote.interview_id == interview.id).order_by(LiveNote.id)
        )
    )


def update_log(session: DbSession, interview: LiveInterview) -> list[LiveUpdate]:
    """The document's history for playback (snapshots left out)."""
    return list(
        session.scalars(
            sa.select(LiveUpdate)
            .where(LiveUpdate.interview_id == interview.id, LiveUpdate.is_snapshot.is_(False))
            .order_by(LiveUpdate.id)
        )
    )
