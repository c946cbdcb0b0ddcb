"""The candidate's path: invitation landing, the timed attempt, coding, the end."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("candidate", __name__, template_folder="templates")

from assess.candidate import views as views  # noqa: E402 - registers the routes
