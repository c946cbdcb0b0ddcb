"""The API's one error shape: ``{"error": {"status", "code", "message", "fields"}}``."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from pydantic import Field
from werkzeug.exceptions import HTTPException

from assess.api.fields import Shape
from assess.errors import AssessError, RateLimited, ValidationFailed


class AuthenticationError(AssessError):
    """No usable bearer token came with the request."""

    status = 401
    code = "unauthorized"


class MediaTypeError(AssessError):
    """A request body that is not JSON."""

    status = 415
    code = "unsupported_media_type"


class MalformedJsonError(AssessError):
    """A body that does not parse as JSON."""

    status = 400
    code = "malformed_json"


class DuplicateEntriesError(ValidationFailed):
    """The same thing appears twice in one request (an address in a batch of candidates)."""

    status = 409
    code = "duplicate"


class ErrorDetail(Shape):
    """What went wrong."""

    status: int = Field(description="The HTTP status, repeated.")
    code: str = Field(description="A stable, machine-readable code.")
    message: str = Field(description="What went wrong, for people.")
    fields: dict[str, str] = Field(
        description="Per-field messages, keyed by a path such as `candidates[0].email`; "
        "empty when no field is at fault."
    )


class Error(Shape):
    """The one error shape of every API response that is not a success."""

    error: ErrorDetail


def error_response(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> Response:
    """A JSON response in the one error shape."""
    body = {"error": {"status": status, "code": code, "message": message, "fields": fields or {}}}
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="assess"'
    return response


def handle_assess_error(error: AssessError) -> Response:
    """A domain error as JSON (validation errors carry their field messages)."""
    fields = getattr(error, "fields", None)
    response = error_response(error.status, error.code, str(error), fields)
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def carried_headers(error: HTTPException) -> list[tuple[str, str]]:
    """The headers the exception carries (``Allow`` of a 405, ``WWW-Authenticate`` of a 401,
    ``Retry-After``...), without its own Content-Type."""
    return [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]


def handle_http_error(error: HTTPException) -> Response:
    """An HTTP error raised inside an API view, as JSON."""
    status = error.code or 500
    code = error.name.lower().replace(" ", "_")
    response = error_response(status, code, error.description or error.name)
    response.headers.extend(carried_headers(error))
    return response


def init_blueprint(bp: Blueprint) -> None:
    """Make every error raised in the API's views answer in the one shape."""
    bp.register_error_handler(AssessError, handle_assess_error)
    bp.register_error_handler(HTTPException, handle_http_error)
