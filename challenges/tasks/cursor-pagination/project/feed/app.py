"""The HTTP API of the feed."""

from flask import Flask, jsonify, request

from feed.db import connect, init_db


def create_app() -> Flask:
    """The Flask application; the schema is created on start."""
    app = Flask(__name__)
    init_db()

    @app.get("/events")
    def list_events():
        """One page of events, newest first: ``?limit=N&page=P``."""
        limit = request.args.get("limit", 20, type=int)
        page = request.args.get("page", 1, type=int)
        with connect() as conn:
            rows = conn.execute(
                "SELECT id, created_at, kind FROM events"
                " ORDER BY created_at DESC LIMIT %s OFFSET %s",
                (limit, (page - 1) * limit),
            ).fetchall()
        items = [{"id": row[0], "created_at": row[1].isoformat(), "kind": row[2]} for row in rows]
        return jsonify({"items": items, "next_page": page + 1 if len(rows) == limit else None})

    return app
