"""The OpenAPI 3.1 document, generated from the API views' own descriptions."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from assess.api.errors import ERROR_SCHEMA
from assess.api.operation import MAX_ID, Operation
from assess.api.schema import Components, Integer

API_PREFIX = "/api/v1"
TITLE = "Assess API"
VERSION = "1.0.0"
ROLE_NOTE = "Roles: {roles}. A token acts with its owner's current rights."

ERROR_TEXT = {
    400: "The body is not valid JSON.",
    401: "No valid bearer token.",
    403: "The token's owner has no role that may use this endpoint.",
    404: "No such object, or not one the caller may see.",
    409: "The object's state does not allow this.",
    415: "The body is not application/json.",
    422: "The input broke its schema; `fields` says where.",
    429: "Too many requests; retry later.",
}

_CONVERTER = re.compile(r"<(?:(int|string):)?([a-z_]+)>")


def _openapi_path(rule: str) -> tuple[str, list[tuple[str, str]]]:
    """``/positions/<int:position_id>`` → ``/positions/{position_id}`` and its parameters."""
    params = [(name, kind or "string") for kind, name in _CONVERTER.findall(rule)]
    return _CONVERTER.sub(lambda m: "{" + m.group(2) + "}", rule), params


def _error(status: int) -> dict[str, Any]:
    """A documented error response."""
    return {
        "description": ERROR_TEXT[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _describe(
    operation: Operation, endpoint: str, params: list[tuple[str, str]], components: Components
) -> dict[str, Any]:
    """The OpenAPI operation object of one view."""
    roles = ", ".join(sorted(role.value for role in operation.roles))
    description = operation.description.strip()
    note = ROLE_NOTE.format(roles=roles)
    doc: dict[str, Any] = {
        "operationId": endpoint.removeprefix("api.").replace(".", "_"),
        "summary": operation.summary,
        "description": f"{description}\n\n{note}" if description else note,
        "tags": [operation.tag],
    }
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": Integer(minimum=1, maximum=MAX_ID).json_schema(components)
            if kind == "int"
            else {"type": "string"},
        }
        for name, kind in params
    ]
    parameters += [
        {
            "name": p.name,
            "in": "query",
            "required": p.required,
            "schema": p.schema.json_schema(components),
        }
        for p in operation.query
    ]
    if parameters:
        doc["parameters"] = parameters
    if operation.body is not None:
        doc["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": operation.body.json_schema(components)}},
        }
    success: dict[str, Any] = {"description": "Success."}
    if operation.response is not None:
        success["content"] = {
            "application/json": {"schema": operation.response.json_schema(components)}
        }
    responses: dict[str, Any] = {str(operation.status): success, "401": _error(401)}
    statuses = [403]
    if params:
        statuses.append(404)
    statuses += list(operation.errors)
    statuses.append(422)  # unknown query parameters are refused everywhere
    if operation.body is not None:
        statuses += [400, 415]
    for status in sorted(statuses):
        responses[str(status)] = _error(status)
    responses["4XX"] = {
        "description": "Any other client error (405, 413...), in the same shape.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    doc["responses"] = responses
    return doc


def build_document(app: Flask) -> dict[str, Any]:
    """The whole document for every API view registered on ``app``."""
    components = Components()
    ERROR_SCHEMA.json_schema(components)  # registers the Error component
    paths: dict[str, dict[str, Any]] = {}
    tags: set[str] = set()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        operation = getattr(app.view_functions.get(rule.endpoint), "api_operation", None)
        if not isinstance(operation, Operation) or not rule.rule.startswith(API_PREFIX):
            continue
        path, params = _openapi_path(rule.rule.removeprefix(API_PREFIX))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _describe(
                operation, rule.endpoint, params, components
            )
        tags.add(operation.tag)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": (
                "Positions, invitations, attempts, scorecards and the bank's competencies. "
                "Authenticate with a personal API token: `Authorization: Bearer <token>`. "
                'Errors share one shape: `{"error": {"status", "code", "message", '
                '"fields"}}`. Lists are paginated with `page` and `per_page`.'
            ),
        },
        "servers": [{"url": API_PREFIX}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": name} for name in sorted(tags)],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(components.schemas.items())),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token (ast_...).",
                }
            },
        },
    }
