"""GET /events with signed keyset cursors: "<microseconds>.<id>.<signature>"."""

import hashlib
import hmac

from flask import Flask, request

from feed.db import connect, init_db

SECRET = b"feed-cursor-signing-key"

COLUMNS = """
    SELECT id,
           to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           kind,
           (extract(epoch FROM created_at) * 1000000)::bigint
    FROM events
"""
AFTER = (
    " WHERE created_at < timestamptz 'epoch' + %(us)s * interval '1 microsecond'"
    " OR (created_at = timestamptz 'epoch' + %(us)s * interval '1 microsecond'"
    " AND id < %(id)s)"
)
ORDER = " ORDER BY created_at DESC, id DESC LIMIT %(n)s"


def _sign(body: str) -> str:
    return hmac.new(SECRET, body.encode(), hashlib.sha256).hexdigest()[:24]


def make_cursor(micros: int, event_id: int) -> str:
    body = f"{micros}.{event_id}"
    return f"{body}.{_sign(body)}"


def read_cursor(token: str) -> dict | None:
    parts = token.split(".")
    if len(parts) != 3 or not all(part.isascii() and part.isdigit() for part in parts[:2]):
        return None
    body = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(_sign(body), parts[2]):
        return None
    return {"us": int(parts[0]), "id": int(parts[1])}


def read_limit(raw):
    if raw is None:
        return 20
    try:
        value = int(raw)
    except ValueError:
        return None
    if str(value) != raw or not 1 <= value <= 100:
        return None
    return value


def create_app() -> Flask:
    app = Flask(__name__)
    init_db()

    @app.route("/events", methods=["GET"])
    def events():
        limit = read_limit(request.args.get("limit"))
        if limit is None:
            return {"error": "invalid_limit"}, 400
        params = {"n": limit + 1}
        sql = COLUMNS
        if "cursor" in request.args:
            position = read_cursor(request.args["cursor"])
            if position is None:
                return {"error": "invalid_cursor"}, 400
            params.update(position)
            sql += AFTER
        with connect() as conn:
            rows = conn.execute(sql + ORDER, params).fetchall()
        has_more = len(rows) > limit
        rows = rows[:limit]
        return {
            "items": [{"id": r[0], "created_at": r[1], "kind": r[2]} for r in rows],
            "next_cursor": make_cursor(rows[-1][3], rows[-1][0]) if has_more else None,
        }

    return app
