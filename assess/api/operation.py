"""The decorator every API view carries: bearer authentication, role check, the strict JSON
reading of the body, and the pydantic models that spectree checks the request against and
generates the OpenAPI document from.

A session cookie never authenticates here: only ``Authorization: Bearer <token>`` does, and
the token acts with its owner's rights as they are at the time of the request.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import g, request
from pydantic import BaseModel, ValidationError
from spectree import Response
from werkzeug.exceptions import InternalServerError

from assess import strictjson
from assess.api import tokens
from assess.api.document import spec
from assess.api.errors import AuthenticationError, Error, MalformedJsonError, MediaTypeError
from assess.api.fields import MAX_ID, Body, NoQuery, Query, field_messages
from assess.errors import Forbidden, NotFound, ValidationFailed
from assess.extensions import db
from assess.models import Role, User

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class Operation:
    """What an API view does, who may call it, and the models of its input and output."""

    summary: str
    tag: str
    roles: frozenset[Role]
    response: type[BaseModel]
    status: int = 200
    query: type[Query] = NoQuery
    body: type[Body] | None = None
    description: str = ""
    errors: tuple[int, ...] = ()

    def docstring(self) -> str:
        """The summary, a blank line, then the description with the roles: what spectree
        puts in the document."""
        roles = ROLE_NOTE.format(roles=", ".join(sorted(role.value for role in self.roles)))
        parts = [self.summary, self.description.strip(), roles]
        return "\n\n".join(part for part in parts if part)

    def responses(self, has_path: bool) -> Response:
        """The success and every error status the operation may answer, in the document."""
        statuses = {401, 403, 422, *self.errors}
        if has_path:
            statuses.add(404)
        if self.body is not None:
            statuses |= {400, 415}
        documented: dict[str, Any] = {f"HTTP_{self.status}": (self.response, "Success.")}
        for status in sorted(statuses):
            documented[f"HTTP_{status}"] = (Error, ERROR_TEXT[status])
        return Response(**documented)


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


def read_json_body() -> None:
    """Refuse a body that is not a JSON object by the platform's rules (:mod:`strictjson`);
    the data stays cached for spectree, whose own reading would take a refused body for
    an empty one."""
    if request.mimetype != "application/json":
        raise MediaTypeError("send the body as application/json")
    try:
        data = strictjson.loads(request.get_data(cache=True) or b"null")
    except strictjson.JsonRefused as exc:
        raise MalformedJsonError(str(exc)) from exc
    if not isinstance(data, dict):
        problem = "must not be null" if data is None else "must be an object"
        raise ValidationFailed("the request body is not valid", {"body": problem})


def refusal(query: type[Query]) -> Callable[..., None]:
    """spectree's hook after its request check of an operation whose query string is
    ``query``: a failed check becomes a 422 in the one error shape, each bad field keyed by
    its path."""

    def refuse_invalid(req: Any, resp: Any, error: Any, instance: Any, adapter: Any) -> None:
        """Raise ValidationFailed for the query string's or the body's errors."""
        if not isinstance(error, ValidationError):
            return
        if error.title == query.__name__:
            fields = field_messages(error, unknown="is not a known parameter")
            raise ValidationFailed("the query string is not valid", fields)
        raise ValidationFailed("the request body is not valid", field_messages(error))

    return refuse_invalid


def refuse_broken_response(req: Any, resp: Any, error: Any, instance: Any, adapter: Any) -> None:
    """spectree's hook after its response check: a response that breaks its own model is a
    server error in the one error shape (and logged), never a silent lie."""
    if error is not None:
        log.error("API response breaks its model: %s", error)
        raise InternalServerError("the response broke its documented shape")


def api_operation(
    summary: str,
    *,
    tag: str,
    roles: frozenset[Role],
    response: type[BaseModel],
    status: int = 200,
    query: type[Query] = NoQuery,
    body: type[Body] | None = None,
    description: str = "",
    errors: tuple[int, ...] = (),
) -> Callable[[F], F]:
    """Guard and describe an API view.

    The view receives ``query`` (a model) when parameters are declared and ``body`` (a
    model) when a body model is; unknown parameters are refused everywhere. The caller is on
    ``g.api_user``. ``errors`` lists error statuses the view may answer beyond those implied
    by its path and body (409, 429).
    """
    operation = Operation(summary, tag, roles, response, status, query, body, description, errors)

    def decorate(view: F) -> F:
        path_names = [p for p in inspect.signature(view).parameters if p not in ("query", "body")]

        @wraps(view)
        def handing(*args: Any, **kwargs: Any) -> Any:
            context = getattr(request, "context")  # noqa: B009 (set by spectree)
            if query.model_fields:
                kwargs["query"] = context.query
            if body is not None:
                kwargs["body"] = context.json
            return view(*args, **kwargs)

        validated = spec.validate(
            query=query,
            json=body,
            resp=operation.responses(bool(path_names)),
            tags=(tag,),
            operation_id=view.__name__,
            path_parameter_descriptions={
                name: f"The {name.removesuffix('_id')}'s id." for name in path_names
            },
            before=refusal(query),
            after=refuse_broken_response,
        )(handing)

        @wraps(validated)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            user = bearer_user()
            if user.role not in roles:
                raise Forbidden("your role may not use this endpoint")
            g.api_user = user
            if any(isinstance(v, int) and not 0 < v <= MAX_ID for v in kwargs.values()):
                raise NotFound("no such object")
            if body is not None:
                read_json_body()
            return validated(*args, **kwargs)

        guarded.__doc__ = operation.docstring()
        guarded.allowed_roles = roles  # type: ignore[attr-defined]
        guarded.bearer_auth = True  # type: ignore[attr-defined]
        guarded.api_operation = operation  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


def caller() -> User:
    """The authenticated owner of the request's token."""
    user: User = g.api_user
    return user
