"""The integrations blueprint object, apart from its views."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("integrations", __name__, url_prefix="/integrations", template_folder="templates")
