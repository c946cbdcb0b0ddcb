"""Insights for recruiters and admins: pipelines, ranking and comparing candidates, CSV
export, scorecards on screen and on paper, and the bank's item statistics."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("insights", __name__, url_prefix="/insights", template_folder="templates")

from assess.insights import views as views  # noqa: E402 - registers the routes
