"""One JSON reader for every request body: numbers and nesting that the platform can store.

Python's ``json`` accepts integers of any size, ``NaN`` and ``Infinity``, and raises
``RecursionError`` (not ``ValueError``) on deep nesting, each of which used to surface as a 500
further down (an integer too large for a database column, a recursion in a later walk). This
reader refuses them all at the door with a :class:`JsonRefused` (a ``ValueError``) whose
message says why, following I-JSON (RFC 7493): integers within +/-(2**53 - 1), finite numbers,
and at most :data:`MAX_DEPTH` levels of arrays and objects.
"""

from __future__ import annotations

import json
import math
from typing import Any

from flask import request
from flask.json.provider import DefaultJSONProvider

from assess.errors import ValidationFailed

MAX_SAFE_INTEGER = 2**53 - 1
MAX_DEPTH = 32


class JsonRefused(ValueError):
    """A body that is not JSON this platform accepts; the message says why."""


def _integer(text: str) -> int:
    """An integer within the interoperable range."""
    if len(text.lstrip("-")) > 16:  # cheap guard before int() on thousands of digits
        raise JsonRefused(f"numbers must be within +/-{MAX_SAFE_INTEGER}")
    value = int(text)
    if abs(value) > MAX_SAFE_INTEGER:
        raise JsonRefused(f"numbers must be within +/-{MAX_SAFE_INTEGER}")
    return value


def _real(text: str) -> float:
    """A finite real number (``1e999`` is refused rather than read as infinity)."""
    value = float(text)
    if not math.isfinite(value):
        raise JsonRefused("numbers must be finite")
    return value


def _constant(name: str) -> Any:
    """``NaN``, ``Infinity`` and ``-Infinity`` are not JSON."""
    raise JsonRefused(f"{name} is not a JSON value")


def _check_depth(value: Any) -> None:
    """Refuse more than MAX_DEPTH levels of nesting (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_DEPTH:
            raise JsonRefused(f"JSON nested deeper than {MAX_DEPTH} levels")
        stack.extend((child, depth + 1) for child in children)


def loads(data: str | bytes | bytearray) -> Any:
    """Parse ``data`` or raise :class:`JsonRefused` saying what is wrong with it."""
    try:
        value = json.loads(data, parse_int=_integer, parse_float=_real, parse_constant=_constant)
    except JsonRefused:
        raise
    except RecursionError as exc:
        raise JsonRefused(f"JSON nested deeper than {MAX_DEPTH} levels") from exc
    except UnicodeDecodeError as exc:
        raise JsonRefused("the body is not UTF-8") from exc
    except ValueError as exc:
        raise JsonRefused(f"the body is not valid JSON: {exc}") from exc
    _check_depth(value)
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise JsonRefused("the body contains a lone surrogate (not UTF-8 text)") from exc
    return value


def request_object() -> dict[str, Any]:
    """The request's JSON body as an object, or a 422 :class:`ValidationFailed` saying why
    (for the page scripts' endpoints; the API has its own typed body parsing)."""
    try:
        data = loads(request.get_data(cache=False) or b"null")
    except JsonRefused as exc:
        raise ValidationFailed(str(exc), {"body": str(exc)}) from exc
    if not isinstance(data, dict):
        raise ValidationFailed("the request body must be a JSON object", {"body": "not an object"})
    return data


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with :func:`loads` for reading (``request.get_json``)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse with the platform's rules."""
        return loads(s)
