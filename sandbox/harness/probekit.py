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


# --- PostgreSQL measurements for project tasks with ``services: [postgres]`` ------------
# What the server itself counted, read from pg_stat_statements (preloaded by services.sh):
# a probe reports the figures as observations and the host judges them against the
# reference's, so "no N+1" is a number the candidate's code did not produce itself.


@dataclass
class Statements:
    """SQL statements the server executed inside a :func:`sql_statements` block: how many
    (utility statements such as BEGIN are not tracked) and their total execution time."""

    count: int = 0
    total_ms: float = 0.0


_STATEMENT_TOTALS = (
    "SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(total_exec_time), 0)::float8,"
    " (SELECT stats_reset FROM pg_stat_statements_info)"
    " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database"
    " WHERE datname = current_database())"
)


class StatisticsTampered(Exception):
    """The server's statement statistics were reset or dropped during a measured block."""


class _SqlStatements:
    """The context manager behind :func:`sql_statements`."""

    def __init__(self) -> None:
        import psycopg  # the services image's driver; imported only where it is used

        self._conn = psycopg.connect(autocommit=True)
        self._conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        self.result = Statements()
        self._before: tuple[int, float, object] = (0, 0.0, None)

    def _totals(self) -> tuple[int, float, object]:
        row = self._conn.execute(_STATEMENT_TOTALS).fetchone()
        if row is None:  # pragma: no cover - an aggregate always returns a row
            raise StatisticsTampered("pg_stat_statements returned nothing")
        return int(row[0]), float(row[1]), row[2]

    def __enter__(self) -> Statements:
        self._before = self._totals()
        return self.result

    def __exit__(self, *exc: object) -> None:
        try:
            after = self._totals()
        finally:
            self._conn.close()
        if after[2] != self._before[2]:
            raise StatisticsTampered("the statement statistics were reset during the probe")
        # The first totals query is itself counted once it finishes; the second is not yet.
        self.result.count = after[0] - self._before[0] - 1
        self.result.total_ms = round(after[1] - self._before[1], 3)


def sql_statements() -> _SqlStatements:
    """Count the SQL statements PostgreSQL runs inside a ``with`` block, in any connection
    to the task's database (the candidate's pool included)::

        with sql_statements() as seen:
            project.report()
        return seen.count <= 3

    A reset or a dropped extension during the block raises :class:`StatisticsTampered`,
    which the probe's observation records (and which never equals the reference's)."""
    return _SqlStatements()


def explain(sql: str, params: tuple[Any, ...] = (), prefer_indexes: bool = True) -> list[str]:
    """The plan PostgreSQL chooses for ``sql``, flattened to one string per node ("Index
    Scan using note_created_idx on note", "Seq Scan on note", "Sort", ...). With
    ``prefer_indexes`` sequential scans are discouraged for this one statement, so the
    plan shows whether *some* index can serve the query even on a small table."""
    import json

    import psycopg

    with psycopg.connect(autocommit=True) as conn:
        if prefer_indexes:
            conn.execute("SET enable_seqscan = off")
        row = conn.execute("EXPLAIN (FORMAT JSON) " + sql, params).fetchone()
    if row is None:  # pragma: no cover - EXPLAIN always returns a row
        return []
    document = row[0] if not isinstance(row[0], str) else json.loads(row[0])
    nodes: list[str] = []
    stack = [document[0]["Plan"]]
    while stack:
        node = stack.pop(0)
        words = [node["Node Type"]]
        if "Index Name" in node:
            words.append(f"using {node['Index Name']}")
        if "Relation Name" in node:
            words.append(f"on {node['Relation Name']}")
        nodes.append(" ".join(words))
        stack[:0] = node.get("Plans", [])
    return nodes
