"""The front door: dashboard, language choice, health and readiness."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("main", __name__, template_folder="templates")

from assess.main import views as views  # noqa: E402 - registers the routes
