"""Pooled PostgreSQL connections are checked without a round trip while in use, and a
connection the server ended is still never handed to a request."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from assess import create_app, extensions
from assess.extensions import db
from tests.conftest import POSTGRES_URL, postgres_problem, private_postgres_database, require


@pytest.fixture
def pg_app() -> Iterator[Flask]:
    """The app on a private PostgreSQL database, with a pool of one connection."""
    require(postgres_problem(POSTGRES_URL), "PostgreSQL")
    with private_postgres_database("assess_live") as url:
        app = create_app(
            {
                "ENV_NAME": "testing",
                "SQLALCHEMY_DATABASE_URI": url,
                "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0},
            }
        )
        with app.app_context():
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()


def backend_pid() -> int:
    """The server process of the connection a request would use."""
    try:
        return int(db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())
    finally:
        db.session.remove()


@pytest.fixture
def pings(pg_app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The connections the dialect pings from now on."""
    seen: list[object] = []
    original = db.engine.dialect.do_ping

    def counting(dbapi_connection: Any) -> bool:
        seen.append(dbapi_connection)
        return original(dbapi_connection)

    monkeypatch.setattr(db.engine.dialect, "do_ping", counting)
    return seen


def test_a_busy_connection_is_reused_without_a_ping(pings: list[object]) -> None:
    """Back to back, a checkout costs no statement of its own."""
    first = backend_pid()
    assert [backend_pid() for _ in range(5)] == [first] * 5
    assert pings == []


def test_a_connection_the_server_ended_is_replaced(pg_app: Flask) -> None:
    """A pooled connection whose session the server terminated (as a restart does) is
    detected at checkout and replaced: the request gets a live one, not an error."""
    doomed = backend_pid()
    admin = sa.create_engine(pg_app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with admin.connect() as connection:
            assert connection.execute(
                sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": doomed}
            ).scalar_one()
    finally:
        admin.dispose()
    pooled = db.engine.pool._pool.queue[0].dbapi_connection  # type: ignore[attr-defined]
    deadline = time.monotonic() + 5
    while not extensions._has_input(pooled) and time.monotonic() < deadline:
        time.sleep(0.01)  # the terminated backend's goodbye reaches the socket
    replacement = backend_pid()
    assert replacement != doomed


def test_a_long_idle_connection_is_pinged(
    pings: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After ``IDLE_PING_SECONDS`` at rest a connection is pinged before use, as
    ``pool_pre_ping`` did (a peer can vanish without closing the socket)."""
    backend_pid()
    monkeypatch.setattr(extensions, "IDLE_PING_SECONDS", 0.0)
    backend_pid()
    assert len(pings) == 1
