"""The /users endpoints: declarative field checks, the store raises EmailTaken."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, jsonify, request

from accounts import store

bp = Blueprint("users", __name__)


def _email(value: str) -> bool:
    local, at, domain = value.partition("@")
    return (
        len(value) <= 254
        and value.count("@") == 1
        and not any(c.isspace() for c in value)
        and bool(local)
        and bool(at)
        and "." in domain
        and domain[:1] != "."
        and domain[-1:] != "."
    )


FIELDS: list[tuple[str, Callable[[str], bool]]] = [
    ("email", _email),
    ("name", lambda v: 1 <= len(v) <= 100),
]


def _fail(status: int, **body):
    return jsonify(body), status


@bp.route("/users", methods=["POST"])
def post_user():
    payload = request.get_json(silent=True) if request.content_length else None
    if not isinstance(payload, dict):
        return _fail(400, error="invalid_json")
    clean = {}
    for key, rule in FIELDS:
        if key not in payload:
            return _fail(400, error="missing_field", field=key)
        raw = payload[key]
        if not isinstance(raw, str) or not rule(raw.strip()):
            return _fail(400, error="invalid_field", field=key)
        clean[key] = raw.strip()
    try:
        user = store.add(clean["email"].lower(), clean["name"])
    except store.EmailTaken:
        return _fail(409, error="duplicate_email")
    return jsonify(user.as_json()), 201, [("Location", f"/users/{user.id}")]


@bp.route("/users/<int:user_id>", methods=["GET"])
def get_user(user_id: int):
    user = store.find(user_id)
    if user is None:
        return _fail(404, error="not_found")
    return jsonify(user.as_json())
