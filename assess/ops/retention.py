"""Data retention: forget a candidate's personal data, keep anonymous statistics.

Forgetting anonymises the candidate's invitations (name, email; the link is revoked; their
accommodation request), deletes code drafts, blanks submitted code and the output of its
runs, written answers, the reasons recruiters gave for their extra time and the free text
interviewers wrote, while verdicts, scores, chosen options, answers' scores and scorecards
stay for the bank's statistics. The audit trail records that it happened, never the email.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from assess.extensions import DbSession
from assess.models import (
    Answer,
    Attempt,
    AuditEvent,
    CodeDraft,
    GradingRun,
    InterviewScorecard,
    Invitation,
    RubricScore,
    Submission,
    ThrottleEvent,
    utcnow,
)

ANONYMOUS_NAME = "Anonymised candidate"
FORGOTTEN_TEXT = "[forgotten]"
ANONYMOUS_DOMAIN = "forgotten.invalid"
REDACTED_CODE = ""
# What a grading run keeps of its result once its candidate is forgotten.
KEPT_RESULT_FIELDS = ("task", "kind", "verdict", "score", "duration_s", "cpu_s",
                      "peak_memory_mb", "flags")  # fmt: skip


@dataclass
class RetentionReport:
    """How much was anonymised or deleted."""

    invitations: int = 0
    attempts: int = 0
    drafts_deleted: int = 0
    submissions_blanked: int = 0
    runs_scrubbed: int = 0
    interview_notes_cleared: int = 0
    details: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, int]:
        """The counts, for the audit trail and the command's output."""
        return {
            "invitations": self.invitations,
            "attempts": self.attempts,
            "drafts_deleted": self.drafts_deleted,
            "submissions_blanked": self.submissions_blanked,
            "runs_scrubbed": self.runs_scrubbed,
            "interview_notes_cleared": self.interview_notes_cleared,
        }


def anonymous_email(invitation_id: int) -> str:
    """The placeholder address of a forgotten invitation (unique, undeliverable)."""
    return f"candidate-{invitation_id}@{ANONYMOUS_DOMAIN}"


def is_forgotten(invitation: Invitation) -> bool:
    """Whether ``invitation`` was already anonymised."""
    return invitation.candidate_email.endswith("@" + ANONYMOUS_DOMAIN)


def scrub_result(result: dict[str, Any] | None) -> dict[str, Any]:
    """A run's result without anything the candidate's code printed or revealed."""
    kept = {k: v for k, v in (result or {}).items() if k in KEPT_RESULT_FIELDS}
    tests = (result or {}).get("tests")
    if isinstance(tests, list):
        kept["tests"] = [
            {k: v for k, v in t.items() if k in ("id", "passed", "weight")}
            for t in tests if isinstance(t, dict)
        ]  # fmt: skip
    kept["redacted"] = True
    return kept


def invitations_of(session: Session, email: str) -> list[Invitation]:
    """Every invitation sent to ``email`` (compared case-insensitively)."""
    wanted = email.strip().lower()
    return list(session.scalars(
        sa.select(Invitation).where(sa.func.lower(Invitation.candidate_email) == wanted)
        .order_by(Invitation.id)
    ))  # fmt: skip


def forget_invitations(
    session: DbSession, invitations: list[Invitation], now: datetime | None = None
) -> RetentionReport:
    """Anonymise ``invitations`` and everything personal hanging off them (no commit)."""
    now = now or utcnow()
    report = RetentionReport(invitations=len(invitations))
    if not invitations:
        return report
    for invitation in invitations:
        invitation.candidate_name = ANONYMOUS_NAME
        invitation.candidate_email = anonymous_email(invitation.id)
        invitation.revoked_at = invitation.revoked_at or now
        invitation.accommodation_request = None  # often health data
        invitation.accommodation_requested_at = None
    ids = [i.id for i in invitations]
    attempt_ids = list(session.scalars(sa.select(Attempt.id).where(Attempt.invitation_id.in_(ids))))
    report.attempts = len(attempt_ids)
    _redact_reasons(session, ids, attempt_ids)
    if attempt_ids:
        # Written answers are the candidate's words; chosen options and orders are kept (the
        # item statistics read them, and they say nothing about the person). Scores stay.
        for answer in session.scalars(sa.select(Answer).where(Answer.attempt_id.in_(attempt_ids))):
            if isinstance(answer.response, str):
                answer.response = FORGOTTEN_TEXT
        report.drafts_deleted = _count(session.execute(
            sa.delete(CodeDraft).where(CodeDraft.attempt_id.in_(attempt_ids))
        ))  # fmt: skip
        report.submissions_blanked = _count(session.execute(
            sa.update(Submission).where(Submission.attempt_id.in_(attempt_ids))
            .values(code=REDACTED_CODE).execution_options(synchronize_session=False)
        ))  # fmt: skip
        runs = session.scalars(
            sa.select(GradingRun).join(Submission, GradingRun.submission_id == Submission.id)
            .where(Submission.attempt_id.in_(attempt_ids))
        ).all()  # fmt: skip
        for run in runs:
            run.result = scrub_result(run.result)
        report.runs_scrubbed = len(runs)
        report.interview_notes_cleared = _clear_interview_text(session, attempt_ids)
    session.flush()
    return report


def _redact_reasons(session: DbSession, invitation_ids: list[int], attempt_ids: list[int]) -> None:
    """The reasons recruiters gave for a candidate's extra time, in the audit trail, are
    about the candidate: the events stay (who changed what, when), the reasons go."""
    events = session.scalars(
        sa.select(AuditEvent).where(
            sa.or_(
                sa.and_(
                    AuditEvent.object_type == "invitation",
                    AuditEvent.object_id.in_([str(i) for i in invitation_ids]),
                ),
                sa.and_(
                    AuditEvent.object_type == "attempt",
                    AuditEvent.object_id.in_([str(a) for a in attempt_ids]),
                ),
            ),
            AuditEvent.action.in_(("invitation.extra_time", "attempt.extended")),
        )
    )
    for event in events:
        if "reason" in (event.details or {}):
            event.details = {**event.details, "reason": FORGOTTEN_TEXT}


def _clear_interview_text(session: DbSession, attempt_ids: list[int]) -> int:
    """Blank interviewers' free text about these attempts; scores stay."""
    cards = list(session.scalars(
        sa.select(InterviewScorecard.id).where(InterviewScorecard.attempt_id.in_(attempt_ids))
    ))  # fmt: skip
    if not cards:
        return 0
    session.execute(
        sa.update(InterviewScorecard).where(InterviewScorecard.id.in_(cards)).values(reason="")
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    notes = session.execute(
        sa.update(RubricScore).where(RubricScore.scorecard_id.in_(cards)).values(notes="")
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    return len(cards) + _count(notes)


def forget_candidate(
    session: Session, email: str, actor_id: int | None = None, now: datetime | None = None
) -> RetentionReport:
    """Forget every invitation of ``email``; audited by counts only (no commit)."""
    report = forget_invitations(session, invitations_of(session, email), now)
    session.add(AuditEvent(action="retention.forget_candidate", actor_id=actor_id,
                           object_type="invitation", details=report.as_dict()))  # fmt: skip
    return report


def expired_invitations(session: Session, older_than_days: int, now: datetime) -> list[Invitation]:
    """Invitations whose attempt ended, or whose link expired unused, before the cut-off."""
    cutoff = now - timedelta(days=older_than_days)
    ended = sa.select(Attempt.invitation_id).where(
        sa.func.coalesce(Attempt.finished_at, Attempt.deadline_at) < cutoff
    )
    unused = sa.and_(Invitation.expires_at < cutoff, ~Invitation.id.in_(
        sa.select(Attempt.invitation_id)
    ))  # fmt: skip
    candidates = session.scalars(
        sa.select(Invitation).where(sa.or_(Invitation.id.in_(ended), unused))
        .order_by(Invitation.id)
    )  # fmt: skip
    return [i for i in candidates if not is_forgotten(i)]


def forget_expired(
    session: Session,
    older_than_days: int,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> RetentionReport:
    """Forget candidates whose assessments ended more than ``older_than_days`` ago, and drop
    throttle records older than that (no commit)."""
    now = now or utcnow()
    report = forget_invitations(session, expired_invitations(session, older_than_days, now), now)
    report.details["throttle_events_deleted"] = _count(session.execute(
        sa.delete(ThrottleEvent).where(ThrottleEvent.at < now - timedelta(days=older_than_days))
    ))  # fmt: skip
    session.add(AuditEvent(
        action="retention.forget_expired", actor_id=actor_id,
        details={**report.as_dict(), **report.details, "older_than_days": older_than_days},
    ))  # fmt: skip
    return report


def _count(result: object) -> int:
    """Rows an UPDATE or DELETE touched."""
    return int(getattr(result, "rowcount", 0) or 0)
