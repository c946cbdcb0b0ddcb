"""Live interviews: a shared pad where an interviewer and the candidate code together, run
the code in the sandbox, and staff score privately; the whole session can be replayed.

The pad speaks the Yjs protocol over a WebSocket served by the app itself (Flask-Sock on
gunicorn's threaded workers: each socket holds one thread, views stay synchronous, and no
second server or event loop is needed). Documents are pycrdt documents; with several
processes, Redis pub/sub relays each room's traffic and the database log stays the truth.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from assess.live.relay import RedisRelay, channel_for
from assess.live.rooms import Hub

bp = Blueprint("live", __name__, url_prefix="/live", template_folder="templates")


def init_app(app: Flask) -> None:
    """Create this process's room hub (the relay starts with the first room)."""
    hub = Hub(app)
    url = app.config.get("REDIS_URL")
    if url and app.config.get("ASSESS_LIVE_RELAY", True):
        channel = channel_for(
            app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("ASSESS_LIVE_CHANNEL")
        )
        hub.set_relay_factory(lambda h: RedisRelay(h, url, channel))
    app.extensions["live"] = hub
    app.config.setdefault("SOCK_SERVER_OPTIONS", {"max_message_size": 512 * 1024})


from assess.live import socket as socket  # noqa: E402 - registers the routes
from assess.live import views as views  # noqa: E402 - registers the routes
