"""The /users endpoints."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from accounts.db import connect

bp = Blueprint("users", __name__)


@bp.post("/users")
def create_user():
    """Sign a user up."""
    data = request.get_json()
    with connect() as conn:
        row = conn.execute(
            "INSERT INTO users (email, name) "
            f"VALUES ('{data['email']}', '{data['name']}') RETURNING id"
        ).fetchone()
    return jsonify(id=row[0], email=data["email"], name=data["name"]), 201
