"""The probe API that a task's hidden ``probes.py`` is written against.

A probe drives the candidate's module and *returns what it observed*; it never
asserts and never holds an expected value. The host compares the encoded
observation with the golden one recorded from the task's reference solution.

    from probekit import probe

    @probe("ties-sorted-by-word", weight=2)
    def _(solution):
        return solution.top_words("b a b a c", 2)

This module runs inside the sandbox and on the host (for authoring checks), so
it uses the standard library only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 32
MAX_ITEMS = 10_000
MAX_STR = 100_000


@dataclass(frozen=True)
class Probe:
    """One hidden probe: an id that is stable across versions, a weight, a function."""

    id: str
    weight: float
    fn: Callable[[Any], Any]
    timeout: float | None = None


PROBES: list[Probe] = []


def probe(
    probe_id: str, weight: float = 1.0, timeout: float | None = None
) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
    """Register ``fn`` as a probe with a unique ``probe_id``."""
    if not probe_id or len(probe_id) > 80:
        raise ValueError(f"probe id {probe_id!r} must be 1..80 characters")
    if weight <= 0:
        raise ValueError(f"probe {probe_id!r} weight must be positive")

    def register(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
        if any(p.id == probe_id for p in PROBES):
            raise ValueError(f"duplicate probe id {probe_id!r}")
        PROBES.append(Probe(probe_id, float(weight), fn, timeout))
        return fn

    return register


class Unencodable(Exception):
    """A value that is not made of exact built-in types (a subclass, a rigged object)."""


def encode(value: Any, depth: int = 0) -> Any:
    """Encode ``value`` as JSON data, accepting only *exact* built-in types.

    A subclass of ``str`` or ``int``, an object with a rigged ``__eq__`` or
    ``__iter__``, a NaN, or anything too deep or too large raises
    :class:`Unencodable`, so it can never equal a golden observation.
    Tuples and lists stay distinct: a tuple is ``{"tuple": [...]}``.
    """
    if depth > MAX_DEPTH:
        raise Unencodable("nested too deeply")
    kind = type(value)
    if value is None or kind is bool:
        return value
    if kind is int:
        if abs(value) > 10**300:
            raise Unencodable("integer too large")
        return value
    if kind is float:
        if not math.isfinite(value):
            return {"float": repr(value)}
        return value
    if kind is str:
        if len(value) > MAX_STR:
            raise Unencodable("string too long")
        return value
    if kind is list or kind is tuple:
        if len(value) > MAX_ITEMS:
            raise Unencodable("sequence too long")
        items = (
            [encode(item, depth + 1) for item in list.__iter__(value)]
            if kind is list
            else [encode(item, depth + 1) for item in tuple.__iter__(value)]
        )
        return items if kind is list else {"tuple": items}
    if kind is dict:
        if len(value) > MAX_ITEMS:
            raise Unencodable("mapping too large")
        out = []
        for key, item in dict.items(value):
            if type(key) is not str:
                raise Unencodable("mapping key is not an exact str")
            out.append([key, encode(item, depth + 1)])
        out.sort(key=lambda pair: pair[0])
        return {"dict": out}
    if kind is set or kind is frozenset:
        encoded = [
            encode(item, depth + 1)
            for item in (set.__iter__(value) if kind is set else frozenset.__iter__(value))
        ]
        return {"set": sorted(encoded, key=repr)}
    if kind is bytes:
        return {"bytes": value.hex()}
    raise Unencodable(f"value of type {kind.__name__} is not plain data")


def observe(fn: Callable[[Any], Any], module: Any) -> Any:
    """Run one probe against ``module`` and return its encoded observation."""
    try:
        value = fn(module)
    except Exception as exc:  # noqa: BLE001 - the exception *is* the observation
        return {"raised": _exception_name(exc)}
    try:
        return encode(value)
    except Unencodable as exc:
        return {"unencodable": str(exc)}
    except RecursionError:
        return {"unencodable": "recursive value"}


def _exception_name(exc: BaseException) -> str:
    """Name a built-in exception type by its real class, anything else as 'other'."""
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins":
            return cls.__name__
    return "Exception"
