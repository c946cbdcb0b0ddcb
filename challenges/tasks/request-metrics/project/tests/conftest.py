"""Fixtures: a fresh application and its test client for every test."""

from __future__ import annotations

import pytest

from orders_service import create_app


@pytest.fixture()
def app():
    """A new application."""
    return create_app()


@pytest.fixture()
def client(app):
    """The application's test client."""
    return app.test_client()
