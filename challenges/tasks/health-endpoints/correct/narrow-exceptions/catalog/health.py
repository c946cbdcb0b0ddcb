"""Liveness and readiness."""

import psycopg
import redis
from flask import Blueprint, jsonify

from catalog.connections import postgres, redis_client

bp = Blueprint("health", __name__)


def postgres_status():
    conn = None
    try:
        conn = postgres()
        conn.execute("SELECT 1")
        return "ok"
    except (psycopg.Error, OSError):
        return "down"
    finally:
        if conn is not None:
            conn.close()


def redis_status():
    try:
        redis_client().ping()
    except (redis.RedisError, OSError):
        return "down"
    return "ok"


@bp.get("/healthz")
def healthz():
    response = jsonify(status="ok")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/readyz")
def readyz():
    checks = {"postgres": postgres_status(), "redis": redis_status()}
    ok = checks == {"postgres": "ok", "redis": "ok"}
    response = jsonify(status="ready" if ok else "not_ready", checks=checks)
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response
