"""The accounts API: users sign up with an e-mail address and a name."""

from __future__ import annotations

from flask import Flask

from accounts.db import init_db
from accounts.users import bp


def create_app() -> Flask:
    """The Flask application, its tables created first."""
    app = Flask(__name__)
    init_db()
    app.register_blueprint(bp)
    return app
