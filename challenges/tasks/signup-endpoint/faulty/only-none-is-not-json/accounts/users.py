"""The /users endpoints (a JSON list or string is taken for an object)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from psycopg import errors

from accounts.db import connect

bp = Blueprint("users", __name__)

MAX_EMAIL = 254
MAX_NAME = 100


def valid_email(email: str) -> bool:
    """Whether a trimmed address follows the statement's rules."""
    if len(email) > MAX_EMAIL or email.count("@") != 1:
        return False
    if any(ch.isspace() for ch in email):
        return False
    local, domain = email.split("@")
    return bool(local) and "." in domain and not domain.startswith(".") and not domain.endswith(".")


def valid_name(name: str) -> bool:
    """Whether a trimmed name has 1 to 100 characters."""
    return 1 <= len(name) <= MAX_NAME


RULES = (("email", valid_email), ("name", valid_name))


def error(status: int, code: str, field: str | None = None):
    """A JSON error response."""
    body = {"error": code}
    if field is not None:
        body["field"] = field
    return jsonify(body), status


@bp.post("/users")
def create_user():
    """Sign a user up: 201 with the stored user, or a 400/409 error."""
    data = request.get_json(silent=True)
    if data is None:
        return error(400, "invalid_json")
    for field, rule in RULES:
        if field not in data:
            return error(400, "missing_field", field)
        value = data[field]
        if not isinstance(value, str) or not rule(value.strip()):
            return error(400, "invalid_field", field)
    email = data["email"].strip().lower()
    name = data["name"].strip()
    try:
        with connect() as conn:
            (user_id,) = conn.execute(
                "INSERT INTO users (email, name) VALUES (%s, %s) RETURNING id", (email, name)
            ).fetchone()
    except errors.UniqueViolation:
        return error(409, "duplicate_email")
    body = {"id": user_id, "email": email, "name": name}
    return jsonify(body), 201, {"Location": f"/users/{user_id}"}


@bp.get("/users/<int:user_id>")
def get_user(user_id: int):
    """One user, or 404."""
    with connect() as conn:
        row = conn.execute("SELECT id, email, name FROM users WHERE id = %s", (user_id,)).fetchone()
    if row is None:
        return error(404, "not_found")
    return jsonify({"id": row[0], "email": row[1], "name": row[2]})
