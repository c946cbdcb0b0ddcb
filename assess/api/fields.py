"""The building blocks of the API's pydantic models: strict JSON bodies, parsed query strings,
the platform's text rules, and the one translation of pydantic's errors into per-field
messages keyed by a path such as ``candidates[2].email``.

Bodies are checked strictly (``"3"`` is not an integer, ``1`` is not ``true``); query values
are text, of which only plain decimal integers and ``true``/``false`` are accepted. Unknown
fields and parameters are refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from assess import textrules
from assess.strictjson import MAX_SAFE_INTEGER

MAX_ID = 2**31 - 1

# The addresses the email check accepts, as a pattern clients can check beforehand.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_SPECIAL_USE_NAMES = ("arpa", "invalid", "local", "localhost", "onion", "test")
_SPECIAL_USE = (
    r"(?!.*\.(?:"
    + "|".join("".join(f"[{c}{c.upper()}]" for c in name) for name in _SPECIAL_USE_NAMES)
    + r")$)"
)
EMAIL_PATTERN = (
    rf"^{_SPECIAL_USE}[A-Za-z0-9_%+-]{{1,32}}(?:\.[A-Za-z0-9_%+-]{{1,31}})?@"
    rf"(?:{_LABEL}\.){{1,4}}[A-Za-z]{{2,24}}$"
)
TEXT_PATTERN = textrules.SINGLE_LINE_PATTERN


class Body(BaseModel):
    """Base of request bodies: JSON types as sent, no unknown field."""

    model_config = ConfigDict(strict=True, extra="forbid")


class Query(BaseModel):
    """Base of query strings: the declared parameters only."""

    model_config = ConfigDict(strict=True, extra="forbid")


class NoQuery(Query):
    """The query string of an operation without parameters (any parameter is refused)."""


class Shape(BaseModel):
    """Base of response objects: exactly the documented properties."""

    model_config = ConfigDict(extra="forbid")


def ecma_anchored(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled so that a final ``$`` matches only at the very end, as in
    ECMA-262 (Python's ``$`` also matches before a final line break)."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _json_integer(value: Any) -> Any:
    """As in JSON Schema, an integral number such as ``3.0`` is an integer."""
    if isinstance(value, float) and value.is_integer() and abs(value) <= MAX_SAFE_INTEGER:
        return int(value)
    return value


def _query_integer(value: Any) -> Any:
    """Decimal digits (an optional sign, surrounding spaces) as an int; nothing else."""
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"[+-]?[0-9]{1,18}", text):
            raise PydanticCustomError("int_parsing", "must be an integer")
        return int(text)
    return value


def _query_boolean(value: Any) -> Any:
    """``true`` or ``false`` as a bool; nothing else."""
    if value in ("true", "false"):
        return value == "true"
    raise PydanticCustomError("bool_parsing", "must be true or false")


def _single_line(value: str) -> str:
    """One line of printable, non-blank text (:mod:`assess.textrules`)."""
    problem = textrules.single_line_problem(value)
    if problem:
        raise PydanticCustomError("text", problem)
    return value


_EMAIL = ecma_anchored(EMAIL_PATTERN)


def _email_shape(value: str) -> str:
    """An address of the shape the email check accepts."""
    if not _EMAIL.search(value):
        raise PydanticCustomError("email", "must be an email address the pattern allows")
    return value


# Put these after any bounds (``Annotated[int, Field(ge=1), AS_QUERY_INT]``): the bounds then
# stay on the integer's schema, where the document shows them as minimum and maximum.
AS_JSON_INT = BeforeValidator(_json_integer)
AS_QUERY_INT = BeforeValidator(_query_integer)
QueryBool = Annotated[bool, BeforeValidator(_query_boolean)]
Id = Annotated[int, Field(ge=1, le=MAX_ID), AS_QUERY_INT]
Title = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200),
    AfterValidator(_single_line),
    Field(json_schema_extra={"pattern": TEXT_PATTERN}),
]
Email = Annotated[
    str,
    StringConstraints(min_length=3, max_length=254),
    AfterValidator(_email_shape),
    Field(
        description="An address the email check accepts (the pattern says which).",
        json_schema_extra={"format": "email", "pattern": EMAIL_PATTERN},
    ),
]


def _absent_not_null(schema: dict[str, Any]) -> None:
    """A query parameter is left out or has a value, never null: document only the value
    (``{"anyOf": [S, {"type": "null"}], "default": null}`` becomes ``S``)."""
    options = schema.pop("anyOf", [])
    kept = [option for option in options if option != {"type": "null"}]
    if len(kept) == 1:
        schema.update(kept[0])
    elif options:
        schema["anyOf"] = options
    if schema.get("default", 0) is None:
        del schema["default"]


def optional(description: str) -> Any:
    """A query parameter that may be left out (``X | None``, None then), documented as X."""
    return Field(None, description=description, json_schema_extra=_absent_not_null)


def path_of(loc: Sequence[int | str]) -> str:
    """``("candidates", 2, "email")`` → ``candidates[2].email``; the whole body is ``body``."""
    path = ""
    for key in loc:
        if isinstance(key, int):
            path += f"[{key}]"
        else:
            path = f"{path}.{key}" if path else str(key)
    return path or "body"


def _message(error: Mapping[str, Any], unknown: str) -> str:
    """Our wording of one pydantic error."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return unknown
    if error.get("input", 0) is None:
        return "must not be null"
    fixed = {
        "string_type": "must be a string",
        "int_type": "must be an integer",
        "int_from_float": "must be an integer",
        "bool_type": "must be true or false",
        "list_type": "must be a list",
        "model_type": "must be an object",
        "model_attributes_type": "must be an object",
        "dict_type": "must be an object",
    }
    if kind in fixed:
        return fixed[kind]
    templates = {
        "string_too_short": "must have at least {min_length} characters",
        "string_too_long": "must have at most {max_length} characters",
        "too_short": "must have at least {min_length} items",
        "too_long": "must have at most {max_length} items",
        "greater_than_equal": "must be at least {ge}",
        "less_than_equal": "must be at most {le}",
        "enum": "must be one of {expected}",
        "literal_error": "must be one of {expected}",
    }
    if kind in templates:
        return templates[kind].format(**ctx)
    return str(error["msg"])


def field_messages(error: ValidationError, unknown: str = "is not a known field") -> dict[str, str]:
    """Every bad field of ``error`` with its message (the first one per path)."""
    fields: dict[str, str] = {}
    for item in error.errors(include_url=False):
        fields.setdefault(path_of(item["loc"]), _message(item, unknown))
    return fields
