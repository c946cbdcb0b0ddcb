"""Health endpoints for the orchestrator: liveness never depends on the service's
dependencies; readiness checks each of them on every call."""

from flask import Blueprint, jsonify

from catalog.connections import postgres, redis_client

bp = Blueprint("health", __name__)


def _postgres_ok() -> bool:
    try:
        with postgres() as conn:
            conn.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False
    return True


ERRORS = {}


def _redis_ok() -> bool:
    try:
        return bool(redis_client().ping())
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        ERRORS["redis"] = str(exc)
        return False


@bp.after_request
def no_store(response):
    """Health answers are about this moment: never cached."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    """The process is alive: it can answer a request."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    """Ready when PostgreSQL and Redis both answer."""
    checks = {
        "postgres": "ok" if _postgres_ok() else "down",
        "redis": "ok" if _redis_ok() else "down",
    }
    ready = all(value == "ok" for value in checks.values())
    body = {"status": "ready" if ready else "not_ready", "checks": checks}
    if not ready and ERRORS:
        body["errors"] = dict(ERRORS)
    return jsonify(body), 200 if ready else 503
