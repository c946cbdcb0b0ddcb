"""Log lines are JSON with the request id, and never carry a password, token or code."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask import Flask

from assess.observability.logs import HANDLER_NAME, configure_logging
from tests.conftest import PASSWORD, Auth, Factory


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """JSON logs captured into a buffer, as production writes them to stderr."""
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure_logging("json", "INFO", stream)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)
    assert all(h.get_name() != HANDLER_NAME for h in root.handlers)


def parsed(stream: io.StringIO) -> list[dict[str, object]]:
    """Every captured line, parsed (each must be one JSON object)."""
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_request_line_carries_the_request_id(app: Flask, log_lines: io.StringIO) -> None:
    """A well-formed incoming X-Request-ID is kept, echoed and logged."""
    response = app.test_client().get("/healthz", headers={"X-Request-ID": "req-0123456789"})
    assert response.headers["X-Request-ID"] == "req-0123456789"
    lines = [line for line in parsed(log_lines) if line["logger"] == "assess.request"]
    assert lines[-1]["request_id"] == "req-0123456789"
    assert lines[-1]["route"] == "/healthz"
    assert lines[-1]["status"] == 200
    assert {"time", "level", "message"} <= set(lines[-1])


def test_malformed_request_id_is_replaced(app: Flask, log_lines: io.StringIO) -> None:
    """An id with spaces or quotes is not trusted; a fresh one is made."""
    response = app.test_client().get("/healthz", headers={"X-Request-ID": 'bad id"<x>'})
    fresh = response.headers["X-Request-ID"]
    assert fresh != 'bad id"<x>'
    assert len(fresh) == 32
    assert parsed(log_lines)[-1]["request_id"] == fresh


def test_no_secret_reaches_a_log_line(app: Flask, factory: Factory, log_lines: io.StringIO) -> None:
    """Signing in (right and wrong) and logging careless messages leaks no secret."""
    user = factory.user()
    auth = Auth(app.test_client())
    auth.login(user.email, "wrong password typed here")
    auth.login(user.email)
    logging.getLogger("assess.test").warning(
        "careless: password=%s token=%s url=%s", PASSWORD, "tok-abcdefgh123",
        "postgresql://assess:hunter22@db/assess", extra={"code": "print('candidate code')"},
    )  # fmt: skip
    text = log_lines.getvalue()
    for secret in (PASSWORD, "wrong password typed here", "tok-abcdefgh123", "hunter22",
                   "candidate code", app.config["SECRET_KEY"]):  # fmt: skip
        assert secret not in text
    careless = parsed(log_lines)[-1]
    assert careless["code"] == "[redacted]"
    assert "password=[redacted]" in str(careless["message"])
    assert all("request_id" in line for line in parsed(log_lines)[:-1])


def test_invitation_paths_are_logged_as_routes(app: Flask, log_lines: io.StringIO) -> None:
    """A candidate's link is logged by its route template, never with the token."""
    app.test_client().get("/i/SomeSecretInvitationToken123")
    text = log_lines.getvalue()
    assert "SomeSecretInvitationToken123" not in text
    assert "/i/<token>" in text
