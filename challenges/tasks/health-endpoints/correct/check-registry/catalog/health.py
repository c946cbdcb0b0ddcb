"""Health endpoints for the orchestrator.

``/healthz`` (liveness) never touches a dependency. ``/readyz`` (readiness) runs every
check of ``CHECKS`` on every call, each isolated from the others, and reports only
``"ok"`` or ``"down"`` per dependency (never an error text).
"""

from __future__ import annotations

from contextlib import closing
from typing import Callable

from flask import Blueprint, jsonify

from catalog.connections import postgres, redis_client

bp = Blueprint("health", __name__)


def _postgres_answers() -> bool:
    with postgres() as conn:
        row = conn.execute("SELECT 1").fetchone()
    return row is not None and row[0] == 1


def _redis_answers() -> bool:
    with closing(redis_client()) as client:
        return bool(client.ping())


# name in the body -> a callable that returns True when the dependency answers
CHECKS: dict[str, Callable[[], bool]] = {
    "postgres": _postgres_answers,
    "redis": _redis_answers,
}


def _status_of(check: Callable[[], bool]) -> str:
    try:
        return "ok" if check() else "down"
    except Exception:  # any failure of a dependency means "down", never a 500
        return "down"


@bp.after_request
def _never_cache(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    """Is the process alive? (No dependency is contacted.)"""
    return jsonify({"status": "ok"}), 200


@bp.get("/readyz")
def readyz():
    """Can the service take traffic right now?"""
    checks = {name: _status_of(check) for name, check in CHECKS.items()}
    ready = set(checks.values()) == {"ok"}
    body = {"status": "ready" if ready else "not_ready", "checks": checks}
    return jsonify(body), (200 if ready else 503)
