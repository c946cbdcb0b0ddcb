"""Fixtures: an application on an empty events table, and a way to add rows."""

import pytest

from feed import create_app
from feed.db import connect


@pytest.fixture()
def client():
    """A test client of a fresh application; the events table starts empty."""
    app = create_app()
    with connect() as conn:
        conn.execute("DELETE FROM events")
    return app.test_client()


@pytest.fixture()
def add_event():
    """Insert one event and return its id: ``add_event("2026-03-01 12:00:00+00", "login")``."""

    def add(created_at: str, kind: str) -> int:
        with connect() as conn:
            row = conn.execute(
                "INSERT INTO events (created_at, kind) VALUES (%s::timestamptz, %s) RETURNING id",
                (created_at, kind),
            ).fetchone()
        return row[0]

    return add
