"""The API blueprint object, apart from its views so they can import it without a cycle."""

from __future__ import annotations

from flask import Blueprint

from assess.api import errors

bp = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")
errors.init_blueprint(bp)
