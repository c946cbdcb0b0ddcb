"""Recruiting: positions, invitations and the candidates' scorecards."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("recruiting", __name__, url_prefix="/positions", template_folder="templates")

from assess.recruiting import views as views  # noqa: E402 - registers the routes
