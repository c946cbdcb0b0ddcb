"""Administration: staff accounts."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

from assess.admin import organisations as organisations  # noqa: E402 - operators' page
from assess.admin import views as views  # noqa: E402 - registers the routes
