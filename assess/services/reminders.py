"""One reminder email for candidates who have not opened their invitation link, a position's
chosen number of days after the invitation (off unless the position sets it).

Only a hash of each link is stored, so the reminder cannot repeat the link: it names the
position and the day of the invitation, says until when the link works, and points to the
first email. ``flask invitations remind`` sends what is due (run it daily, e.g. from cron).
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa

from assess.extensions import DbSession
from assess.models import Invitation, Position, utcnow
from assess.services import audit, mailer
from assess.textrules import as_one_line

MAX_DELAY_DAYS = 30


@dataclass
class Report:
    """What one round of reminders did."""

    sent: list[int] = field(default_factory=list)  # invitation ids
    failed: dict[int, str] = field(default_factory=dict)  # invitation id -> error class


def due(session: DbSession, now: datetime | None = None) -> list[Invitation]:
    """Invitations owed a reminder at ``now``: their position reminds, the delay has passed,
    the link is unopened, unexpired, not withdrawn, and no reminder went out yet."""
    now = now or utcnow()
    candidates = session.scalars(
        sa.select(Invitation)
        .join(Position, Position.id == Invitation.position_id)
        .where(
            Position.reminder_after_days.is_not(None),
            Invitation.opened_at.is_(None),
            Invitation.reminded_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .order_by(Invitation.id)
    ).all()
    return [
        invitation
        for invitation in candidates
        if invitation.attempt is None
        and invitation.created_at + timedelta(days=invitation.position.reminder_after_days or 0)
        <= now
    ]


def message(sender: str, invitation: Invitation) -> EmailMessage:
    """The reminder (plain text, no link: only its hash is stored)."""
    email = EmailMessage()
    title = as_one_line(invitation.position.title)
    email["From"] = sender
    email["To"] = invitation.candidate_email
    email["Subject"] = f"Reminder: your assessment for {title}"
    email.set_content(
        f"Hello {as_one_line(invitation.candidate_name)},\n\n"
        f"On {invitation.created_at:%Y-%m-%d} you were invited to take a timed assessment for "
        f"the position {title}. Your link has not been opened yet; it works until "
        f"{invitation.expires_at:%Y-%m-%d}.\n\n"
        "The link is in the first email we sent you (subject: Your assessment for "
        f"{title}). If you cannot find it, reply to this email and the hiring team will "
        "send you a new one.\n"
    )
    return email


def send_due(
    session: DbSession, settings: mailer.SmtpSettings, now: datetime | None = None
) -> Report:
    """Send every due reminder, each claimed and committed on its own; a failure is kept for
    the next round."""
    now = now or utcnow()
    report = Report()
    for invitation in due(session, now):
        # Claimed (and committed) before sending: two rounds at once, or a crash after a
        # send, never mail the same candidate twice. A failed send gives the claim back.
        claimed = session.execute(
            sa.update(Invitation)
            .where(Invitation.id == invitation.id, Invitation.reminded_at.is_(None))
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        session.commit()
        if getattr(claimed, "rowcount", 0) != 1:
            continue
        session.refresh(invitation)
        try:
            mailer.send(settings, message(settings.sender, invitation))
        except (OSError, ValueError, smtplib.SMTPException) as exc:
            invitation.reminded_at = None
            session.commit()
            report.failed[invitation.id] = type(exc).__name__
            continue
        audit.record(
            session, "invitation.reminded", object_type="invitation", object_id=invitation.id
        )
        session.commit()
        report.sent.append(invitation.id)
    return report
