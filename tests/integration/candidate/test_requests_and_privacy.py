"""Before starting, a candidate can ask for an accommodation (it reaches the recruiter; nothing
is granted by itself) and reads the organisation's privacy notice, which its admin writes."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import AuditEvent, Invitation, Role
from tests.conftest import Auth, BankFactory, Factory, csrf_token, make_invitation


def test_a_request_reaches_the_recruiter_and_grants_nothing(
    app: Flask, client: FlaskClient, auth: Auth, bank: BankFactory
) -> None:
    """A blank or oversized request is a 422 with the reason; a good one is shown back to
    the candidate and to the recruiter, escaped, audited, and changes no time."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    invitation, token = make_invitation(factory, recruiter)
    landing = client.get(f"/i/{token}")
    assert "Need extra time or another adjustment?" in landing.text
    url = f"/i/{token}/accommodation"
    csrf = csrf_token(landing.text)
    assert client.post(url, data={"csrf_token": csrf, "request": "  "}).status_code == 422
    long = client.post(url, data={"csrf_token": csrf, "request": "x" * 1001})
    assert long.status_code == 422 and "1000 characters" in long.text
    text = "Screen reader user: <b>25%</b> more time, please."
    sent = client.post(url, data={"csrf_token": csrf, "request": text})
    assert sent.status_code == 302
    back = client.get(sent.headers["Location"]).text
    assert "Your request was sent" in back and "&lt;b&gt;25%&lt;/b&gt;" in back
    db.session.expire_all()
    stored = db.session.get(Invitation, invitation.id)
    assert stored is not None and stored.accommodation_request == text
    assert (stored.extra_time_percent, stored.extra_minutes) == (0, 0)
    assert db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "candidate.accommodation_requested")
    )
    auth.login(recruiter.email)
    position = client.get(f"/positions/{invitation.position_id}").text
    assert "asks for an adjustment" in position
    page = client.get(f"/positions/invitations/{invitation.id}/extra-time").text
    assert "The candidate asked on" in page and "&lt;b&gt;25%&lt;/b&gt;" in page


def test_the_admin_writes_the_privacy_notice_candidates_read(
    app: Flask, client: FlaskClient, auth: Auth, bank: BankFactory
) -> None:
    """The default notice until the admin writes one; theirs shows escaped, line breaks
    kept; a NUL byte is refused; another organisation's candidates keep the default."""
    factory = Factory()
    admin = factory.user(Role.ADMIN)
    _, token = make_invitation(factory)
    elsewhere = factory.user(Role.RECRUITER, organization=factory.organization("Elsewhere"))
    _, other_token = make_invitation(factory, elsewhere)
    default = "You can download your data or ask for it to be deleted at any time."
    assert default in client.get(f"/i/{token}").text
    auth.login(admin.email)
    page = client.get("/admin/privacy")
    assert page.status_code == 200
    csrf = csrf_token(page.text)
    bad = client.post("/admin/privacy", data={"csrf_token": csrf, "notice": "a\x00b"})
    assert bad.status_code == 422
    notice = "Data controller: Example Ltd.\nContact <dpo@example.com>."
    assert (
        client.post("/admin/privacy", data={"csrf_token": csrf, "notice": notice}).status_code
        == 302
    )
    auth.logout()
    shown = client.get(f"/i/{token}").text
    assert "Data controller: Example Ltd.\nContact &lt;dpo@example.com&gt;." in shown
    assert default not in shown
    assert default in client.get(f"/i/{other_token}").text
