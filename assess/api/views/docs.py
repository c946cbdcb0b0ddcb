"""The OpenAPI document and a locally served Swagger UI (no third-party hosts)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, render_template

from assess.api.blueprint import bp
from assess.api.document import build_document
from assess.policy import public


@bp.get("/openapi.json")
@public
def openapi_document() -> Any:
    """The API's OpenAPI 3.1 document, generated from the views' models."""
    return jsonify(build_document())


@bp.get("/docs")
@public
def swagger_ui() -> str:
    """Swagger UI over the document; its scripts and styles are served from /static."""
    return render_template("api/docs.html")
