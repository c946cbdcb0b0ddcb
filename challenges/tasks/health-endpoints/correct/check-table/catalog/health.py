from flask import Blueprint, make_response

from catalog import connections

bp = Blueprint("health", __name__)


def check_postgres():
    with connections.postgres() as conn:
        conn.execute("SELECT 1").fetchone()


def check_redis():
    if not connections.redis_client().ping():
        raise RuntimeError("no PONG")


CHECKS = {"postgres": check_postgres, "redis": check_redis}


def reply(body, status):
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/healthz", methods=["GET"])
def healthz():
    return reply({"status": "ok"}, 200)


@bp.route("/readyz", methods=["GET"])
def readyz():
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            results[name] = "down"
        else:
            results[name] = "ok"
    if "down" in results.values():
        return reply({"status": "not_ready", "checks": results}, 503)
    return reply({"status": "ready", "checks": results}, 200)
