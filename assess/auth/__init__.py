"""Staff sign-in and sign-out."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")

from assess.auth import views as views  # noqa: E402 - registers the routes
