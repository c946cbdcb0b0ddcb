"""The HTTP API of the feed."""

from __future__ import annotations

import re
from datetime import timezone

from flask import Flask, jsonify, request
from flask.views import MethodView

from feed import cursor as cursors
from feed.db import connect, init_db

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
_DIGITS = re.compile(r"[0-9]+")

_FIRST_PAGE = "SELECT id, created_at, kind FROM events ORDER BY created_at DESC, id DESC LIMIT %s"
_AFTER_CURSOR = (
    "SELECT id, created_at, kind FROM events"
    " WHERE (created_at, id) < (%s, %s)"
    " ORDER BY created_at DESC, id DESC LIMIT %s"
)


def _error(code: str):
    return jsonify({"error": code}), 400


def _utc_text(value) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class EventsView(MethodView):
    """``GET /events?limit=N&cursor=C``: one page of events, newest first."""

    def get(self):
        raw_limit = request.args.get("limit")
        if raw_limit is None:
            limit = DEFAULT_LIMIT
        elif _DIGITS.fullmatch(raw_limit) and 1 <= int(raw_limit) <= MAX_LIMIT:
            limit = int(raw_limit)
        else:
            return _error("invalid_limit")

        raw_cursor = request.args.get("cursor")
        position = None
        if raw_cursor is not None:
            try:
                position = cursors.decode(raw_cursor)
            except cursors.InvalidCursor:
                return _error("invalid_cursor")

        # One row more than the page tells whether anything comes after it.
        with connect() as conn:
            if position is None:
                rows = conn.execute(_FIRST_PAGE, (limit + 1,)).fetchall()
            else:
                rows = conn.execute(_AFTER_CURSOR, (*position, limit + 1)).fetchall()

        page, more = rows[:limit], len(rows) > limit
        items = [
            {"id": row_id, "created_at": _utc_text(created_at), "kind": kind}
            for row_id, created_at, kind in page
        ]
        next_cursor = cursors.encode(page[-1][1], page[-1][0]) if more else None
        return jsonify({"items": items, "next_cursor": next_cursor})


def create_app() -> Flask:
    """The Flask application; the schema is created on start."""
    app = Flask(__name__)
    init_db()
    app.add_url_rule("/events", view_func=EventsView.as_view("list_events"))
    return app
