"""One reminder for an unopened link, a position's chosen days after the invitation: sent by
``flask invitations remind`` through SMTP, once, never for opened, started, withdrawn or
expired links, and shown to the recruiter."""

from __future__ import annotations

import socketserver
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assess.errors import ValidationFailed
from assess.extensions import db
from assess.models import GradeCode, Invitation, Position, Role, User, utcnow
from assess.services import attempts, invitations, reminders
from tests.conftest import Auth, Factory, csrf_token
from tests.integration.recruiting.test_positions import smtp_server as smtp_server

pytestmark = pytest.mark.usefixtures("bank")


def invite_aged(position: Position, name: str, days_ago: int, recruiter: User) -> Invitation:
    """An invitation created ``days_ago`` days ago."""
    email = f"{name.split()[0].lower()}@example.com"
    invitation, _ = invitations.invite(db.session, position, name, email, recruiter)
    invitation.created_at = utcnow() - timedelta(days=days_ago)
    return invitation


@pytest.fixture
def cohort(app: Flask) -> dict[str, Invitation]:
    """A position reminding after 3 days, with invitations in every state."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    position = invitations.create_position(
        db.session, recruiter, "Backend", GradeCode.JUNIOR, reminder_after_days=3
    )
    quiet = invitations.create_position(db.session, recruiter, "Quiet", GradeCode.JUNIOR)
    made = {
        "due": invite_aged(position, "Dee Due", 4, recruiter),
        "young": invite_aged(position, "Yan Young", 1, recruiter),
        "opened": invite_aged(position, "Ola Opened", 5, recruiter),
        "started": invite_aged(position, "Sam Started", 5, recruiter),
        "withdrawn": invite_aged(position, "Wil Withdrawn", 5, recruiter),
        "expired": invite_aged(position, "Exa Expired", 5, recruiter),
        "quiet": invite_aged(quiet, "Qui Quiet", 9, recruiter),
    }
    made["opened"].opened_at = utcnow()
    attempts.start_attempt(db.session, made["started"], seed=1)
    invitations.revoke(made["withdrawn"])
    made["expired"].expires_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    return made


def test_only_unopened_live_links_past_the_delay_are_due(cohort: dict[str, Invitation]) -> None:
    """Exactly the one invitation that is due."""
    assert [i.id for i in reminders.due(db.session)] == [cohort["due"].id]


def test_the_command_sends_once_and_the_recruiter_sees_it(
    app: Flask,
    cohort: dict[str, Invitation],
    smtp_server: socketserver.ThreadingTCPServer,
    client: FlaskClient,
    auth: Auth,
) -> None:
    """The reminder names the position and the expiry, holds no link; a second run sends
    nothing; without SMTP the command fails naming why."""
    runner = app.test_cli_runner()
    app.config.update(SMTP_HOST=None)
    unconfigured = runner.invoke(args=["invitations", "remind"])
    assert unconfigured.exit_code != 0 and "email is not configured" in unconfigured.output
    assert "1 reminder(s) due" in runner.invoke(args=["invitations", "remind", "--dry-run"]).output
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.server_address[1],
                      SMTP_STARTTLS=False, SMTP_SENDER="jobs@example.com")  # fmt: skip
    first = runner.invoke(args=["invitations", "remind"])
    assert first.exit_code == 0 and "reminders sent: 1, failed: 0" in first.output
    second = runner.invoke(args=["invitations", "remind"])
    assert "reminders sent: 0, failed: 0" in second.output
    (message,) = smtp_server.messages  # type: ignore[attr-defined]
    assert "To: dee@example.com" in message
    assert "Reminder: your assessment for Backend" in message
    assert "/i/" not in message
    db.session.expire_all()
    due = db.session.get(Invitation, cohort["due"].id)
    assert due is not None and due.reminded_at is not None
    recruiter = due.position.created_by_id
    user = db.session.get(User, recruiter)
    assert user is not None
    auth.login(user.email)
    page = client.get(f"/positions/{due.position_id}").text
    assert "reminded " + due.reminded_at.strftime("%Y-%m-%d") in page


def test_opening_the_link_ends_the_reminder_and_the_setting_is_checked(
    app: Flask, cohort: dict[str, Invitation], client: FlaskClient, auth: Auth
) -> None:
    """A visit marks the link opened; the position's delay is 1..30 days or none, a bad
    value is a 422 with the reason."""
    invitation = cohort["young"]
    invitation.created_at = utcnow() - timedelta(days=10)
    db.session.commit()
    assert invitation in reminders.due(db.session)
    position_id = invitation.position_id
    recruiter = db.session.get(User, invitation.position.created_by_id)
    assert recruiter is not None
    auth.login(recruiter.email)
    page = client.get(f"/positions/{position_id}")
    url = f"/positions/{position_id}/reminders"
    bad = client.post(url, data={"csrf_token": csrf_token(page.text), "days": "45"})
    assert bad.status_code == 422 and "Number must be between 1 and 30" in bad.text
    assert (
        client.post(url, data={"csrf_token": csrf_token(page.text), "days": ""}).status_code == 302
    )
    assert reminders.due(db.session) == []
    with pytest.raises(ValidationFailed, match="1 to 30"):
        invitations.check_reminder_delay(0)
