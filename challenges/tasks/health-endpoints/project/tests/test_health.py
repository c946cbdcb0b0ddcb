"""The health endpoints against the real PostgreSQL and Redis of the test run."""

from __future__ import annotations

from catalog import create_app


def test_alive() -> None:
    app = create_app()
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_alive_while_postgres_is_down() -> None:
    app = create_app({"POSTGRES_DSN": "host=/nonexistent dbname=postgres"})
    assert app.test_client().get("/healthz").status_code == 200


def test_ready_when_both_answer() -> None:
    app = create_app()
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"postgres": "ok", "redis": "ok"}
