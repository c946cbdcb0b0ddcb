"""The HTTP API of the feed: keyset pagination over (created_at, id), newest first."""

import base64
import binascii
import json
import re
from datetime import datetime, timezone

from flask import Flask, jsonify, request

from feed.db import connect, init_db

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class BadCursor(Exception):
    """The cursor was not issued by this server."""


def format_time(moment: datetime) -> str:
    """UTC, microseconds always written: 2026-03-01T12:00:05.000000Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def encode_cursor(created_at: datetime, event_id: int) -> str:
    """An opaque token naming the last item of a page."""
    raw = json.dumps([format_time(created_at), event_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, int]:
    """The (created_at, id) a token names; BadCursor unless this server issued it."""
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True)
        stamp, event_id = json.loads(raw.decode("utf-8"))
        if type(stamp) is not str or type(event_id) is not int:
            raise BadCursor
        moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise BadCursor from exc
    if not token or encode_cursor(moment, event_id) != token:
        raise BadCursor
    return moment, event_id


def parse_limit(raw: str | None) -> int | None:
    """The page size, or None when it is not a whole number from 1 to MAX_LIMIT."""
    if raw is None:
        return DEFAULT_LIMIT
    if not re.fullmatch(r"[0-9]{1,4}", raw):
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_LIMIT else None


def create_app() -> Flask:
    """The Flask application; the schema is created on start."""
    app = Flask(__name__)
    init_db()

    @app.get("/events")
    def list_events():
        """One page of events, newest first: ``?limit=N&cursor=C``."""
        limit = parse_limit(request.args.get("limit"))
        if limit is None:
            return jsonify({"error": "invalid_limit"}), 400
        token = request.args.get("cursor")
        after = None
        if token is not None:
            try:
                after = decode_cursor(token)
            except BadCursor:
                return jsonify({"error": "invalid_cursor"}), 400
        with connect() as conn:
            if after is None:
                rows = conn.execute(
                    "SELECT id, created_at, kind FROM events"
                    " ORDER BY created_at DESC, id DESC LIMIT %s",
                    (limit + 1,),
                ).fetchall()
            else:
                rows = conn.execute(
                    "SELECT id, created_at, kind FROM events WHERE (created_at, id) < (%s, %s)"
                    " ORDER BY created_at DESC, id DESC LIMIT %s",
                    (*after, limit + 1),
                ).fetchall()
        page = rows[:limit]
        items = [
            {"id": event_id, "created_at": format_time(created_at), "kind": kind}
            for event_id, created_at, kind in page
        ]
        more = len(rows) > limit
        next_cursor = encode_cursor(page[-1][1], page[-1][0]) if more else None
        return jsonify({"items": items, "next_cursor": next_cursor})

    return app
