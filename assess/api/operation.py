"""The decorator every API view carries: bearer authentication, role check, request checks,
and the description the OpenAPI document is generated from.

A session cookie never authenticates here: only ``Authorization: Bearer <token>`` does, and
the token acts with its owner's rights as they are at the time of the request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import g, request

from assess import strictjson
from assess.api import tokens
from assess.api.errors import AuthenticationError, MalformedJsonError, MediaTypeError
from assess.api.schema import Field, SchemaError
from assess.errors import Forbidden, NotFound, ValidationFailed
from assess.extensions import db
from assess.models import Role, User

F = TypeVar("F", bound=Callable[..., Any])
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Param:
    """A query-string parameter."""

    name: str
    schema: Field
    required: bool = False


@dataclass(frozen=True)
class Operation:
    """What an API view does, who may call it, and the shapes of its input and output."""

    summary: str
    tag: str
    roles: frozenset[Role]
    response: Field | None
    status: int = 200
    query: tuple[Param, ...] = ()
    body: Field | None = None
    description: str = ""
    errors: tuple[int, ...] = ()


def bearer_user() -> User:
    """The owner of the request's bearer token, or AuthenticationError."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("send a personal API token as 'Authorization: Bearer <token>'")
    user = tokens.authenticate(db.session, token.strip())
    if user is None:
        raise AuthenticationError("the API token is unknown, revoked, or its owner is inactive")
    return user


def parse_query(params: tuple[Param, ...]) -> dict[str, Any]:
    """The declared query parameters, parsed and checked; unknown ones are refused."""
    values: dict[str, Any] = {}
    known = {param.name for param in params}
    errors = {name: "is not a known parameter" for name in request.args if name not in known}
    for param in params:
        raw = request.args.get(param.name)
        if raw is None:
            if param.required:
                errors[param.name] = "is required"
            continue
        try:
            values[param.name] = param.schema.parse_text(raw, param.name)
        except SchemaError as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationFailed("the query string is not valid", errors)
    return values


def parse_body(schema: Field) -> Any:
    """The JSON body, checked against ``schema``."""
    if request.mimetype != "application/json":
        raise MediaTypeError("send the body as application/json")
    try:
        data = strictjson.loads(request.get_data(cache=False) or b"null")
    except strictjson.JsonRefused as exc:
        raise MalformedJsonError(str(exc)) from exc
    try:
        return schema.check(data, "")
    except SchemaError as exc:
        raise ValidationFailed("the request body is not valid", exc.fields) from exc


def api_operation(
    summary: str,
    *,
    tag: str,
    roles: frozenset[Role],
    response: Field | None,
    status: int = 200,
    query: tuple[Param, ...] = (),
    body: Field | None = None,
    description: str = "",
    errors: tuple[int, ...] = (),
) -> Callable[[F], F]:
    """Guard and describe an API view.

    The view receives ``query`` (a dict) when parameters are declared and ``body`` when a
    body schema is. The caller is on ``g.api_user``. ``errors`` lists error statuses the view
    may answer beyond those implied by its parameters (409, 429).
    """
    operation = Operation(summary, tag, roles, response, status, query, body, description, errors)

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            user = bearer_user()
            if user.role not in roles:
                raise Forbidden("your role may not use this endpoint")
            g.api_user = user
            if any(isinstance(v, int) and not 0 < v <= MAX_ID for v in kwargs.values()):
                raise NotFound("no such object")
            parsed = parse_query(query)
            if query:
                kwargs["query"] = parsed
            if body is not None:
                kwargs["body"] = parse_body(body)
            return view(*args, **kwargs)

        guarded.allowed_roles = roles  # type: ignore[attr-defined]
        guarded.bearer_auth = True  # type: ignore[attr-defined]
        guarded.api_operation = operation  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


def caller() -> User:
    """The authenticated owner of the request's token."""
    user: User = g.api_user
    return user
