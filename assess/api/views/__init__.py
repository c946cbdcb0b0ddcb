"""The API's views, one module per resource, and their registration."""

from __future__ import annotations

from flask import Flask

from assess.api.blueprint import bp
from assess.api.views import attempts, bank, docs, positions
from assess.extensions import csrf

__all__ = ["attempts", "bank", "bp", "docs", "init_app", "positions"]


def init_app(app: Flask) -> None:
    """Register the API; it never reads cookies, so CSRF does not apply to it."""
    csrf.exempt(bp)
    app.register_blueprint(bp)
