"""Recruiters: positions, invitations one by one or by CSV, withdrawal, scorecards, email."""

from __future__ import annotations

import io
import re
import socketserver
import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import Invitation, Position, Role
from assess.services import invitations
from tests.conftest import Auth, BankFactory, Factory, csrf_token, make_attempt


@pytest.fixture
def recruiter_client(client: FlaskClient, auth: Auth, factory: Factory) -> FlaskClient:
    """A client signed in as a recruiter."""
    auth.login(factory.user(Role.RECRUITER).email)
    return client


def create_position(client: FlaskClient, title: str = "Backend developer") -> int:
    """Create a position through the form; return its id."""
    page = client.get("/positions")
    response = client.post(
        "/positions", data={"csrf_token": csrf_token(page.text), "title": title, "grade": "middle"}
    )
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_create_position_and_invite(recruiter_client: FlaskClient) -> None:
    """An invitation's link is shown once; only its hash is stored."""
    position_id = create_position(recruiter_client)
    page = recruiter_client.get(f"/positions/{position_id}")
    response = recruiter_client.post(
        f"/positions/{position_id}",
        data={
            "csrf_token": csrf_token(page.text),
            "one-name": "Grace Hopper",
            "one-email": "grace@example.com",
            "one-valid_days": "7",
        },
    )
    assert response.status_code == 200
    link = re.search(r'value="(http://localhost/i/[^"]+)"', response.text).group(1)
    token = link.rsplit("/", 1)[1]
    stored = db.session.scalar(sa.select(Invitation))
    assert stored.token_hash == invitations.hash_token(token)
    assert token not in stored.token_hash
    assert token not in recruiter_client.get(f"/positions/{position_id}").text
    assert "Grace Hopper" in recruiter_client.get(f"/positions/{position_id}").text


def test_invalid_invitation_is_explained(recruiter_client: FlaskClient) -> None:
    """A bad address is refused with a reason next to the form."""
    position_id = create_position(recruiter_client)
    page = recruiter_client.get(f"/positions/{position_id}")
    response = recruiter_client.post(
        f"/positions/{position_id}",
        data={
            "csrf_token": csrf_token(page.text),
            "one-name": "X",
            "one-email": "not-an-email",
            "one-valid_days": "7",
        },
    )
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_csv_upload_reports_bad_rows_and_invites_the_rest(recruiter_client: FlaskClient) -> None:
    """Good rows are invited; each bad row is named by its line with the reason."""
    position_id = create_position(recruiter_client)
    page = recruiter_client.get(f"/positions/{position_id}")
    csv_text = (
        "name,email\nAda Lovelace,ada@example.com\nNo Email,\n"
        "Bad Address,bad@\nAda Again,ada@example.com\nAlan Turing,alan@example.com,x\n"
        "Alan Turing,alan@example.com\n"
    )
    response = recruiter_client.post(
        f"/positions/{position_id}/invitations.csv",
        data={
            "csrf_token": csrf_token(page.text),
            "csv-file": (io.BytesIO(csv_text.encode()), "people.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    for line in (3, 4, 5, 6):
        assert f"line {line}:" in response.text
    assert "appears twice" in response.text
    emails = set(db.session.scalars(sa.select(Invitation.candidate_email)))
    assert emails == {"ada@example.com", "alan@example.com"}
    assert response.text.count("/i/") >= 2


def test_csv_upload_refuses_non_utf8(recruiter_client: FlaskClient) -> None:
    """A file that is not UTF-8 text is refused with a reason."""
    position_id = create_position(recruiter_client)
    page = recruiter_client.get(f"/positions/{position_id}")
    response = recruiter_client.post(
        f"/positions/{position_id}/invitations.csv",
        data={
            "csrf_token": csrf_token(page.text),
            "csv-file": (io.BytesIO(b"\xff\xfe\x00bad"), "people.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "not UTF-8" in response.text


def test_other_organisations_positions_are_invisible(
    app: Flask, client: FlaskClient, auth: Auth, factory: Factory, bank: BankFactory
) -> None:
    """A recruiter of another organisation gets 404 on every object of this one."""
    attempt, _ = make_attempt(factory)
    position = db.session.get(Position, attempt.invitation.position_id)
    outsider = factory.user(Role.RECRUITER, organization=factory.organization("Other Co"))
    auth.login(outsider.email)
    assert client.get(f"/positions/{position.id}").status_code == 404
    assert client.get(f"/positions/attempts/{attempt.id}/scorecard").status_code == 404
    page = client.get("/positions")
    assert position.title not in page.text
    token = csrf_token(page.text)
    assert (
        client.post(
            f"/positions/invitations/{attempt.invitation_id}/revoke", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/positions/{position.id}/invitations.csv", data={"csrf_token": token}
        ).status_code
        == 404
    )


def test_withdraw_and_scorecard(
    client: FlaskClient, auth: Auth, factory: Factory, bank: BankFactory
) -> None:
    """Withdrawing ends the candidate's access; the scorecard lists competencies and items."""
    recruiter = factory.user(Role.RECRUITER)
    attempt, token = make_attempt(factory, recruiter=recruiter)
    auth.login(recruiter.email)
    card = client.get(f"/positions/attempts/{attempt.id}/scorecard", follow_redirects=True)
    assert card.status_code == 200
    assert "Ada Candidate" in card.text
    page = client.get(f"/positions/{attempt.invitation.position_id}")
    assert "in progress" in page.text
    client.post(
        f"/positions/invitations/{attempt.invitation_id}/revoke",
        data={"csrf_token": csrf_token(page.text)},
    )
    assert "withdrawn" in client.get(f"/positions/{attempt.invitation.position_id}").text
    candidate = client.application.test_client()
    assert candidate.get(f"/i/{token}").status_code == 404


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to receive one message."""

    def handle(self) -> None:
        """Speak the dialogue and keep the message."""
        self.wfile.write(b"220 test ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line.strip().split(b" ")[0].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 test\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                body = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    body += chunk
                self.server.messages.append(body.decode())  # type: ignore[attr-defined]
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server() -> Iterator[socketserver.ThreadingTCPServer]:
    """A local SMTP server on a free loopback port."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SmtpHandler)
    server.messages = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_invitation_email_when_smtp_is_configured(
    app: Flask, recruiter_client: FlaskClient, smtp_server: socketserver.ThreadingTCPServer
) -> None:
    """With SMTP configured, the link is also emailed; the page still shows it."""
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=smtp_server.server_address[1],
        SMTP_STARTTLS=False,
        SMTP_SENDER="jobs@example.com",
    )
    position_id = create_position(recruiter_client)
    page = recruiter_client.get(f"/positions/{position_id}")
    assert "Also email the link" in page.text
    response = recruiter_client.post(
        f"/positions/{position_id}",
        data={
            "csrf_token": csrf_token(page.text),
            "one-name": "Grace",
            "one-email": "g@example.com",
            "one-valid_days": "7",
            "one-send_email": "y",
        },
    )
    link = re.search(r'value="(http://localhost/i/[^"]+)"', response.text).group(1)
    assert len(smtp_server.messages) == 1  # type: ignore[attr-defined]
    assert link in smtp_server.messages[0]  # type: ignore[attr-defined]
    assert "Invitation emailed" in response.text


def test_email_failure_is_reported_and_the_invitation_kept(
    app: Flask, recruiter_client: FlaskClient
) -> None:
    """An unreachable SMTP server is reported; the invitation exists and its link is shown."""
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1, SMTP_STARTTLS=False)
    position_id = create_position(recruiter_client)
    page = recruiter_client.get(f"/positions/{position_id}")
    response = recruiter_client.post(
        f"/positions/{position_id}",
        data={
            "csrf_token": csrf_token(page.text),
            "one-name": "Grace",
            "one-email": "g@example.com",
            "one-valid_days": "7",
            "one-send_email": "y",
        },
    )
    assert "/i/" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1
    assert "could not be sent" in response.text


def test_invitation_budget_is_shared_and_explained(
    recruiter_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the hourly budget the page refuses with a reason and invites nobody."""
    monkeypatch.setattr(invitations, "INVITATIONS_PER_HOUR", 1)
    position_id = create_position(recruiter_client)
    for n, expected in ((1, 200), (2, 422)):
        page = recruiter_client.get(f"/positions/{position_id}")
        response = recruiter_client.post(
            f"/positions/{position_id}",
            data={
                "csrf_token": csrf_token(page.text),
                "one-name": f"P{n}",
                "one-email": f"p{n}@example.com",
                "one-valid_days": "7",
            },
        )
        assert response.status_code == expected
    assert "Too many invitations" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1
