"""The /users endpoints: a MethodView plus a small declarative validator.

Duplicates are settled by PostgreSQL itself: the insert uses ``ON CONFLICT DO NOTHING``
on the unique index over ``lower(email)``, so a concurrent or uncommitted conflicting row
makes the insert wait and then return no row, which becomes a 409.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

from flask import Blueprint, Response, jsonify, request
from flask.views import MethodView

from accounts.db import connect

bp = Blueprint("users", __name__)

_DECIMAL_ID = re.compile(r"[0-9]+")


class FieldError(Exception):
    """A request field that is missing or invalid."""

    def __init__(self, code: str, field: str) -> None:
        super().__init__(code, field)
        self.code = code
        self.field = field


def _valid_email(value: str) -> bool:
    if len(value) > 254 or any(ch.isspace() for ch in value):
        return False
    local, sep, domain = value.partition("@")
    if not sep or "@" in domain:
        return False
    return bool(local) and "." in domain and not domain.startswith(".") and not domain.endswith(".")


def _valid_name(value: str) -> bool:
    return 1 <= len(value) <= 100


class SignupForm:
    """Checks the fields in order; ``clean()`` returns the normalised values."""

    # (key, rule on the stripped text, normaliser applied to the stripped text)
    FIELDS: tuple[tuple[str, Callable[[str], bool], Callable[[str], str]], ...] = (
        ("email", _valid_email, str.lower),
        ("name", _valid_name, lambda s: s),
    )

    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload = payload

    def clean(self) -> dict[str, str]:
        cleaned: dict[str, str] = {}
        for key, rule, normalise in self.FIELDS:
            if key not in self.payload:
                raise FieldError("missing_field", key)
            raw = self.payload[key]
            if not isinstance(raw, str):
                raise FieldError("invalid_field", key)
            text = raw.strip()
            if not rule(text):
                raise FieldError("invalid_field", key)
            cleaned[key] = normalise(text)
        return cleaned


def _error(status: int, **body: Any) -> tuple[Response, int]:
    return jsonify(body), status


def _read_json_object() -> dict[str, Any] | None:
    """The body as a dict, or None when it is not a JSON object."""
    try:
        parsed = json.loads(request.get_data(cache=True))
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        return None
    return parsed if isinstance(parsed, dict) else None


def _user_body(row: tuple[int, str, str]) -> dict[str, Any]:
    return {"id": row[0], "email": row[1], "name": row[2]}


class UserCollection(MethodView):
    """POST /users."""

    INSERT = (
        "INSERT INTO users (email, name) VALUES (%s, %s) "
        "ON CONFLICT ((lower(email))) DO NOTHING RETURNING id, email, name"
    )

    def post(self):
        payload = _read_json_object()
        if payload is None:
            return _error(400, error="invalid_json")
        try:
            fields = SignupForm(payload).clean()
        except FieldError as exc:
            return _error(400, error=exc.code, field=exc.field)
        with connect() as conn:
            row = conn.execute(self.INSERT, (fields["email"], fields["name"])).fetchone()
        if row is None:
            return _error(409, error="duplicate_email")
        resp = jsonify(_user_body(row))
        resp.status_code = 201
        resp.headers["Location"] = f"/users/{row[0]}"
        return resp


class UserItem(MethodView):
    """GET /users/<id>."""

    def get(self, user_id: str):
        if not _DECIMAL_ID.fullmatch(user_id):
            return _error(404, error="not_found")
        with connect() as conn:
            row = conn.execute(
                "SELECT id, email, name FROM users WHERE id = %s", (int(user_id),)
            ).fetchone()
        if row is None:
            return _error(404, error="not_found")
        return jsonify(_user_body(row)), 200


bp.add_url_rule("/users", view_func=UserCollection.as_view("collection"), methods=["POST"])
bp.add_url_rule("/users/<user_id>", view_func=UserItem.as_view("item"), methods=["GET"])
