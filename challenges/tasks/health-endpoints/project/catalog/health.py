"""Health endpoints for the orchestrator."""

from flask import Blueprint, jsonify

from catalog.connections import postgres

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Is the service alive?"""
    conn = postgres()
    conn.execute("SELECT 1")
    return jsonify({"status": "ok"})
