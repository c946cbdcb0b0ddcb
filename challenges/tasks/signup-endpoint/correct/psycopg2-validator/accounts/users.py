"""The /users endpoints, on psycopg2: a friendly pre-check, the unique index as the judge."""

from __future__ import annotations

import psycopg2
import psycopg2.errors
from flask import Blueprint, make_response, request

from accounts.validation import first_problem

bp = Blueprint("users", __name__)


def reply(body: dict, status: int = 200):
    return make_response(body, status)


def open_db():
    return psycopg2.connect("")  # libpq reads PGHOST, PGDATABASE and PGUSER


@bp.post("/users")
def create_user():
    if not request.data:
        return reply({"error": "invalid_json"}, 400)
    data = request.get_json(force=True, silent=True)
    if not isinstance(data, dict):
        return reply({"error": "invalid_json"}, 400)
    problem = first_problem(data)
    if problem:
        code, field = problem
        return reply({"error": code, "field": field}, 400)
    email = data["email"].strip().lower()
    name = data["name"].strip()
    conn = open_db()
    try:
        with conn, conn.cursor() as cur:
            cur.execute("SELECT 1 FROM users WHERE lower(email) = %s", (email,))
            if cur.fetchone():
                return reply({"error": "duplicate_email"}, 409)
            cur.execute(
                "INSERT INTO users (email, name) VALUES (%s, %s) RETURNING id", (email, name)
            )
            new_id = cur.fetchone()[0]
    except psycopg2.errors.UniqueViolation:
        return reply({"error": "duplicate_email"}, 409)
    finally:
        conn.close()
    resp = reply({"id": new_id, "email": email, "name": name}, 201)
    resp.headers["Location"] = f"/users/{new_id}"
    return resp


@bp.get("/users/<user_id>")
def read_user(user_id: str):
    if not user_id.isdigit() or int(user_id) > 2**31 - 1:
        return reply({"error": "not_found"}, 404)
    conn = open_db()
    try:
        with conn, conn.cursor() as cur:
            cur.execute("SELECT id, email, name FROM users WHERE id = %s", (int(user_id),))
            row = cur.fetchone()
    finally:
        conn.close()
    if row is None:
        return reply({"error": "not_found"}, 404)
    return reply({"id": row[0], "email": row[1], "name": row[2]})
