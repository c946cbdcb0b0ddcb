"""Fixtures: the app against the real database, and a fresh e-mail address per test."""

from __future__ import annotations

import uuid

import pytest

from accounts import create_app


@pytest.fixture()
def client():
    """A test client of a new app (the tables are created if missing)."""
    return create_app().test_client()


@pytest.fixture()
def email() -> str:
    """An address no other test uses: the database is shared and never emptied."""
    return f"user-{uuid.uuid4().hex[:12]}@example.com"
