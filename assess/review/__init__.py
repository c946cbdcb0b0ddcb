"""The interviewer's desk: the review queue, an attempt's evidence, re-grading, structured
interviews, and assigning interviewers (for recruiters and admins)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review", template_folder="templates")

from assess.review import views as views  # noqa: E402 - registers the routes
