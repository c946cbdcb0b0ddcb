"""Keyset pagination where the cursor names the last row by its id ("id-<n>"); the row's
own (created_at, id) is the position."""

import re
from datetime import timezone

from flask import Flask, jsonify, request

from feed.db import init_db, shared

CURSOR = re.compile(r"id-([1-9][0-9]{0,17})")

FIRST = """
    SELECT id, created_at, kind FROM events
    ORDER BY created_at DESC, id DESC LIMIT %s
"""
AFTER = """
    SELECT e.id, e.created_at, e.kind
    FROM events AS e, (SELECT created_at, id FROM events WHERE id = %s) AS last
    WHERE (e.created_at, e.id) < (last.created_at, last.id)
    ORDER BY e.created_at DESC, e.id DESC LIMIT %s
"""
EXISTS = "SELECT 1 FROM events WHERE id = %s"


def bad(code):
    return jsonify({"error": code}), 400


def stamp(value):
    return f"{value.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%S.%f}Z"


def create_app() -> Flask:
    app = Flask(__name__)
    init_db()

    @app.get("/events")
    def events():
        raw_limit = request.args.get("limit", "20")
        if not (raw_limit.isascii() and raw_limit.isdigit()) or not 0 < int(raw_limit) <= 100:
            return bad("invalid_limit")
        limit = int(raw_limit)
        raw_cursor = request.args.get("cursor")
        conn = shared()
        with conn.transaction():
            if raw_cursor is None:
                rows = conn.execute(FIRST, (limit + 1,)).fetchall()
            else:
                match = CURSOR.fullmatch(raw_cursor)
                if match is None:
                    return bad("invalid_cursor")
                last_id = int(match.group(1))
                if conn.execute(EXISTS, (last_id,)).fetchone() is None:
                    return bad("invalid_cursor")
                rows = conn.execute(AFTER, (last_id, limit + 1)).fetchall()
        shown = rows[:limit]
        return jsonify(
            {
                "items": [{"id": i, "created_at": stamp(c), "kind": k} for i, c, k in shown],
                "next_cursor": f"id-{shown[-1][0]}" if len(rows) > limit else None,
            }
        )

    return app
