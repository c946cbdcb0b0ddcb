"""The OpenAPI document and a locally served Swagger UI (no third-party hosts)."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, render_template

from assess.api.blueprint import bp
from assess.api.openapi import build_document
from assess.policy import public


@bp.get("/openapi.json")
@public
def openapi_document() -> Any:
    """The API's OpenAPI 3.1 document, generated from the views."""
    return jsonify(build_document(current_app))


@bp.get("/docs")
@public
def swagger_ui() -> str:
    """Swagger UI over the document; its scripts and styles are served from /static."""
    return render_template("api/docs.html")
