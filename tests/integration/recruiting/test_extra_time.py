"""Extra time for a candidate: granted before the start, added while the attempt runs,
bounded, audited with who and why, scoped to the organisation, and noted on the scorecard
without saying which."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm.attributes import set_committed_value

from assess.errors import AttemptClosed, Conflict, ValidationFailed
from assess.extensions import db
from assess.models import AuditEvent, Role, utcnow
from assess.services import accommodations, attempts, scorecards
from tests.conftest import Auth, BankFactory, Factory, csrf_token, make_attempt, make_invitation

REASON = "Agreed adjustment for a documented need."


def test_a_grant_is_applied_when_the_attempt_starts(app: Flask, bank: BankFactory) -> None:
    """25% of a 30-minute limit (rounded up) plus 5 minutes: the attempt starts with 13."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    invitation, _ = make_invitation(factory, recruiter)
    assert accommodations.grant(db.session, invitation, 25, 5, REASON, recruiter) == 13
    db.session.commit()
    now = utcnow()
    attempt = attempts.start_attempt(db.session, invitation, now=now, seed=1)
    assert attempt.extra_minutes == 13
    assert attempt.deadline_at - attempt.started_at == timedelta(minutes=43)
    (event,) = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "invitation.extra_time")
    ).all()
    assert event.actor_id == recruiter.id
    assert event.details == {
        "percent": 25, "minutes": 5, "extra_minutes": 13, "reason": REASON
    }  # fmt: skip
    with pytest.raises(Conflict, match="extend it instead"):
        accommodations.grant(db.session, invitation, 10, 0, REASON, recruiter)


def test_an_extension_moves_the_deadline_within_the_ceiling(app: Flask, bank: BankFactory) -> None:
    """Minutes add to the deadline; the total stays within 200% of the limit; bad input and
    a finished attempt are refused with a reason, changing nothing."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    attempt, _ = make_attempt(factory, recruiter)
    before = attempt.deadline_at
    assert accommodations.extend(db.session, attempt, 20, REASON, recruiter) == before + timedelta(
        minutes=20
    )
    assert attempt.extra_minutes == 20
    cases = [
        (41, "at most 200% of the 30-minute limit (60 minutes)"),
        (0, "at least 1"),
        (-5, "whole number"),
        (601, "whole number"),
        (True, "whole number"),
    ]
    for minutes, message in cases:
        with pytest.raises(ValidationFailed, match=message.replace("(", r"\(").replace(")", r"\)")):
            accommodations.extend(db.session, attempt, minutes, REASON, recruiter)  # type: ignore[arg-type]
    for reason in ("", "   ", "nul\x00byte", "x" * 501):
        with pytest.raises(ValidationFailed, match="reason"):
            accommodations.extend(db.session, attempt, 5, reason, recruiter)
    assert attempt.extra_minutes == 20 and attempt.deadline_at == before + timedelta(minutes=20)
    # Another request that read the attempt before this extension: refused, nothing lost.
    set_committed_value(attempt, "extra_minutes", 0)
    set_committed_value(attempt, "deadline_at", before)
    with pytest.raises(Conflict, match="changed meanwhile"):
        accommodations.extend(db.session, attempt, 30, REASON, recruiter)
    db.session.refresh(attempt)
    assert attempt.extra_minutes == 20 and attempt.deadline_at == before + timedelta(minutes=20)
    attempts.finish_attempt(db.session, attempt)
    with pytest.raises(AttemptClosed):
        accommodations.extend(db.session, attempt, 5, REASON, recruiter)
    late, _ = make_attempt(factory, recruiter, "Late Larry")
    with pytest.raises(AttemptClosed):
        accommodations.extend(
            db.session, late, 5, REASON, recruiter, now=late.deadline_at + timedelta(seconds=1)
        )


def test_the_page_grants_extends_and_lists_the_changes(
    app: Flask, client: FlaskClient, auth: Auth, bank: BankFactory
) -> None:
    """Through the form: a grant before the start, an extension while it runs, each listed
    with who and why; a bad value is a 422 with the reason and changes nothing; the
    scorecard notes that an accommodation applied, not which."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    invitation, _ = make_invitation(factory, recruiter)
    auth.login(recruiter.email)
    url = f"/positions/invitations/{invitation.id}/extra-time"
    page = client.get(url)
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page.text), "grant-reason": REASON}
    bad = client.post(url, data={**data, "grant-percent": "250", "grant-minutes": "0"})
    assert bad.status_code == 422
    assert "Number must be between 0 and 200" in bad.text
    over = client.post(url, data={**data, "grant-percent": "150", "grant-minutes": "20"})
    assert over.status_code == 422 and "at most 200%" in over.text
    db.session.refresh(invitation)
    assert (invitation.extra_time_percent, invitation.extra_minutes) == (0, 0)
    done = client.post(url, data={**data, "grant-percent": "50", "grant-minutes": "0"})
    assert done.status_code == 302
    db.session.refresh(invitation)
    attempt = attempts.start_attempt(db.session, invitation, seed=3)
    db.session.commit()
    assert attempt.extra_minutes == 15
    page = client.get(url)
    assert "Minutes to add" in page.text and REASON in page.text
    extend = {"csrf_token": csrf_token(page.text), "extend-minutes": "10",
              "extend-reason": "Connection <b>lost</b>"}  # fmt: skip
    assert client.post(url, data=extend).status_code == 302
    page = client.get(url)
    assert "10 minutes added" in page.text and recruiter.email in page.text
    assert "Connection &lt;b&gt;lost&lt;/b&gt;" in page.text
    no_csrf = client.post(url, data={"extend-minutes": "10", "extend-reason": REASON})
    assert no_csrf.status_code == 400
    db.session.refresh(attempt)
    assert attempt.extra_minutes == 25
    attempts.finish_attempt(db.session, attempt)
    scorecards.recompute(db.session, attempt)
    db.session.commit()
    card = client.get(f"/insights/attempts/{attempt.id}/scorecard")
    assert "An accommodation applied to this assessment." in card.text
    assert REASON not in card.text and "25" not in card.text.split("accommodation-note")[1][:80]
    finished = client.get(url)
    assert "This assessment is finished" in finished.text


def test_only_recruiters_of_the_organisation_reach_the_page(
    app: Flask, client: FlaskClient, auth: Auth, bank: BankFactory
) -> None:
    """Another organisation's recruiter gets a 404; an interviewer is refused."""
    factory = Factory()
    invitation, _ = make_invitation(factory)
    url = f"/positions/invitations/{invitation.id}/extra-time"
    outsider = factory.user(Role.RECRUITER, organization=factory.organization("Elsewhere"))
    auth.login(outsider.email)
    assert client.get(url).status_code == 404
    page = client.get("/positions")
    posted = client.post(url, data={"csrf_token": csrf_token(page.text), "grant-percent": "50",
                                    "grant-minutes": "0", "grant-reason": REASON})  # fmt: skip
    assert posted.status_code == 404
    auth.logout()
    auth.login(factory.user(Role.INTERVIEWER).email)
    assert client.get(url).status_code == 403
    db.session.refresh(invitation)
    assert invitation.extra_time_percent == 0


def test_the_candidates_clock_follows_the_deadline(
    app: Flask, client: FlaskClient, bank: BankFactory
) -> None:
    """The countdown's cheap clock endpoint reports the moved deadline."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    attempt, token = make_attempt(factory, recruiter)
    landing = client.get(f"/i/{token}")
    agreed = client.post(f"/i/{token}", data={"agree": "y", "csrf_token": csrf_token(landing.text)})
    assert agreed.status_code == 302
    first = client.get("/attempt/api/clock").get_json()
    accommodations.extend(db.session, attempt, 15, REASON, recruiter)
    db.session.commit()
    second = client.get("/attempt/api/clock").get_json()
    assert first["state"] == second["state"] == "started"
    assert second["deadline"] == attempt.deadline_at.isoformat() != first["deadline"]
