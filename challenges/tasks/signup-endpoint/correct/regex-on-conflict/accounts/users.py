"""The /users endpoints: a regular expression for addresses, ON CONFLICT for duplicates."""

import json
import re

from flask import Blueprint, jsonify, request

from accounts.db import connect

bp = Blueprint("users", __name__)

EMAIL = re.compile(r"[^@\s]+@[^@\s.][^@\s]*\.[^@\s]*[^@\s.]")


class Refused(Exception):
    """A request answered with an error body."""

    def __init__(self, status, body):
        super().__init__(body["error"])
        self.status = status
        self.body = body


@bp.errorhandler(Refused)
def refused(exc):
    return jsonify(exc.body), exc.status


def text_field(data, key, ok):
    if key not in data:
        raise Refused(400, {"error": "missing_field", "field": key})
    value = data[key]
    if type(value) is not str or not ok(value.strip()):
        raise Refused(400, {"error": "invalid_field", "field": key})
    return value.strip()


@bp.route("/users", methods=["POST"])
def sign_up():
    try:
        data = json.loads(request.get_data(as_text=True))
    except ValueError:
        data = None
    if type(data) is not dict:
        raise Refused(400, {"error": "invalid_json"})
    email = text_field(data, "email", lambda v: len(v) <= 254 and EMAIL.fullmatch(v))
    name = text_field(data, "name", lambda v: 0 < len(v) <= 100).strip()
    email = email.lower()
    with connect() as conn:
        row = conn.execute(
            "INSERT INTO users (email, name) VALUES (%(email)s, %(name)s)"
            " ON CONFLICT DO NOTHING RETURNING id",
            {"email": email, "name": name},
        ).fetchone()
    if row is None:
        raise Refused(409, {"error": "duplicate_email"})
    resp = jsonify({"id": row[0], "email": email, "name": name})
    resp.status_code = 201
    resp.headers["Location"] = "/users/%d" % row[0]
    return resp


@bp.route("/users/<int:user_id>")
def show(user_id):
    with connect() as conn:
        row = conn.execute("SELECT id, email, name FROM users WHERE id = %s", [user_id]).fetchone()
    if not row:
        raise Refused(404, {"error": "not_found"})
    return jsonify(dict(zip(("id", "email", "name"), row)))
