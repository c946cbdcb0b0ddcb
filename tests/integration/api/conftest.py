"""Fixtures for the API and webhooks: tokens, and a small world of two organisations."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assess.api import tokens
from assess.extensions import db
from assess.models import (
    Attempt,
    AttemptState,
    Competency,
    GradeCode,
    InterviewAssignment,
    Invitation,
    Organization,
    Position,
    Role,
    User,
    WeightClass,
    utcnow,
)
from assess.services.invitations import hash_token, new_token
from tests.conftest import Factory

SCORECARD = {
    "recommended_grade": "middle",
    "overall": 0.71,
    "bonus": 0.0,
    "interview_weight": 0.3,
    "items": [],
    "grades": [{"grade": "junior", "met": True, "gaps": []}],
    "competencies": [],
}


def token_for(user: User, name: str = "tests") -> str:
    """A fresh API token of ``user`` (committed)."""
    _, token = tokens.issue(db.session, user, name)
    db.session.commit()
    return token


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for ``token``."""
    return {"Authorization": f"Bearer {token}"}


def make_position(org: Organization, title: str = "Backend developer") -> Position:
    """An open position of ``org``."""
    position = Position(organization_id=org.id, title=title, grade=GradeCode.MIDDLE)
    db.session.add(position)
    db.session.flush()
    return position


def make_attempt(
    position: Position,
    name: str = "Ada Candidate",
    state: AttemptState = AttemptState.FINISHED,
    scored: bool = False,
) -> Attempt:
    """An invitation of ``position`` with an attempt in ``state`` (scored when asked)."""
    now = utcnow()
    invitation = Invitation(
        position=position,
        candidate_name=name,
        candidate_email=f"{name.split()[0].lower()}{position.id}@example.com",
        token_hash=hash_token(new_token()),
        expires_at=now + timedelta(days=14),
    )
    attempt = Attempt(
        invitation=invitation,
        grade=position.grade,
        seed=7,
        state=state,
        started_at=now - timedelta(hours=1),
        deadline_at=now + timedelta(hours=1),
        finished_at=now if state is not AttemptState.STARTED else None,
        session_hash="0" * 64,
        scorecard=dict(SCORECARD) if scored else None,
        scored_at=now if scored else None,
    )
    db.session.add_all([invitation, attempt])
    db.session.flush()
    return attempt


@dataclass
class World:
    """Two organisations with staff, positions and attempts; tokens for every person."""

    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    position: Position | None = None
    other_position: Position | None = None
    assigned: Attempt | None = None
    unassigned: Attempt | None = None
    other_attempt: Attempt | None = None

    def headers(self, who: str) -> dict[str, str]:
        """The bearer header of the person ``who``."""
        return bearer(self.tokens[who])

    def ids(self) -> dict[str, Any]:
        """The ids the tests address."""
        assert self.position
        assert self.other_position
        assert self.assigned
        assert self.unassigned
        assert self.other_attempt
        return {
            "position": self.position.id,
            "other_position": self.other_position.id,
            "assigned": self.assigned.id,
            "unassigned": self.unassigned.id,
            "other_attempt": self.other_attempt.id,
        }


@pytest.fixture
def world(app: Flask, factory: Factory) -> World:
    """Home organisation (admin, recruiter, interviewer) and an outside one (recruiter)."""
    built = World()
    home = factory.organization("Home")
    elsewhere = factory.organization("Elsewhere")
    for role in Role:
        built.users[role.value] = factory.user(role, organization=home)
    built.users["outsider"] = factory.user(Role.RECRUITER, organization=elsewhere)
    built.position = make_position(home)
    built.other_position = make_position(elsewhere, "Their position")
    built.assigned = make_attempt(built.position, "Ada Lovelace", scored=True)
    built.unassigned = make_attempt(built.position, "Grace Hopper")
    built.other_attempt = make_attempt(built.other_position, "Alan Turing", scored=True)
    db.session.add(
        InterviewAssignment(
            attempt_id=built.assigned.id, interviewer_id=built.users["interviewer"].id
        )
    )
    db.session.add(
        Competency(
            code="PY", name="Confident Python 3.x", weight_class=WeightClass.REQUIRED, position=1
        )
    )
    db.session.add(
        Competency(code="ASYNC", name="async/await", weight_class=WeightClass.ADVANTAGE, position=2)
    )
    db.session.commit()
    for who, user in built.users.items():
        built.tokens[who] = token_for(user)
    return built


@pytest.fixture
def api(client: FlaskClient) -> FlaskClient:
    """A client for API calls (it never signs in; headers carry the token)."""
    return client


class Receiver:
    """A local HTTP(S) server that records what it receives and answers with ``status``."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        """Start serving on 127.0.0.1 on a free port (HTTPS with ``tls``), recording the
        TLS server name each client asked for."""
        self.requests: list[dict[str, Any]] = []
        self.server_names: list[str | None] = []
        self.status = 204
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(
                    {"headers": dict(self.headers), "body": body, "path": self.path}
                )
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                """Keep the test output quiet."""

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.scheme = "http"
        if tls is not None:
            tls.sni_callback = lambda sock, name, context: self.server_names.append(name)
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        """The URL to register."""
        return f"{self.scheme}://127.0.0.1:{self.port}/hook"

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A running local HTTP receiver."""
    server = Receiver()
    try:
        yield server
    finally:
        server.close()
