"""Fixtures shared by the integration tests: a real gunicorn on the test's database."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from assess.extensions import db
from tests.conftest import require
from tests.integration.ops.servers import Gunicorn

FREE_FAILURES = 5


def gunicorn_problem() -> str | None:
    """None when gunicorn is installed beside this interpreter."""
    return None if (Path(sys.executable).parent / "gunicorn").exists() else "no gunicorn"


@pytest.fixture
def serve(app: Flask, tmp_path: Path) -> Iterator[Callable[..., Gunicorn]]:
    """Start gunicorn (2 processes x 8 threads) on the test's database, with extra settings."""
    require(gunicorn_problem(), "gunicorn")
    started: list[Gunicorn] = []

    def start(**settings: str) -> Gunicorn:
        db.session.commit()
        db.session.close()
        env = {
            "ASSESS_ENV": "development",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "ASSESS_SANDBOX": "0",
            # Waits far longer than the test, so exactly the free attempts get through.
            "ASSESS_LOGIN_ACCOUNT_SPACING": "600",
            "ASSESS_LOGIN_BACKOFF_BASE": "600",
            "ASSESS_LOGIN_FAILURES_PER_ACCOUNT": str(FREE_FAILURES),
            "ASSESS_LOGIN_FAILURES_PER_IP": "10",
            **settings,
        }
        server = Gunicorn(env, tmp_path / f"gunicorn{len(started)}.log", workers=2).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
