"""One statement that inserts a row or updates it when a newer revision arrives.

"Select, then insert if missing" loses a race: two first saves of the same answer both see
nothing and the second insert breaks the unique constraint (a 500). ``INSERT ... ON CONFLICT
DO UPDATE ... WHERE`` (SQLite 3.24+, PostgreSQL 9.5+) decides inside the database, so
concurrent first writes end as one row holding the newest revision, in one round trip.

The values are ``key`` + ``values``; on a conflict of ``key`` the row gets ``on_conflict``
(default: ``values``; a callable value is given ``(new, table)``) where ``newer(new,
table)`` holds, ``new`` being the values offered (``excluded`` in the upsert).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from assess.extensions import DbSession


def _connection(session: DbSession) -> sa.Connection:
    """Where the statements run: the session's connection, after flushing what it holds
    (as ``session.execute`` would), since plain Core statements need none of its ORM work."""
    session.flush()
    return session.connection()


def _statement(
    connection: sa.Connection,
    table: sa.Table,
    key: Mapping[str, Any],
    values: Mapping[str, Any],
    newer: Any,
    on_conflict: Mapping[str, Any] | None,
) -> Any:
    """The ``INSERT ... ON CONFLICT DO UPDATE ... WHERE`` statement of the functions below."""
    build = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = build(table).values({**key, **values})
    updates = dict(on_conflict if on_conflict is not None else values)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c[name] for name in key],
        set_={
            name: (value(statement.excluded, table.c) if callable(value) else value)
            for name, value in updates.items()
        },
        where=newer(statement.excluded, table.c),
    )
    return statement


def upsert_newer_columns(
    session: DbSession,
    model: type[Any],
    key: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    newer: Any,
    returning: Sequence[str],
    on_conflict: Mapping[str, Any] | None = None,
) -> sa.Row[Any]:
    """Write a newer row; return its ``returning`` columns as stored (written or kept).

    The usual case, a row that exists and a newer revision, is one ``UPDATE ... WHERE newer
    RETURNING``: a generic statement, so SQLAlchemy compiles it once (its dialect-specific
    ``INSERT ... ON CONFLICT`` is compiled on every execution). Only when that changes no row
    (the first save, or a stored row that is newer and kept) does the upsert follow, then a
    read of the stored row if it too changed nothing; the row lock the ``UPDATE`` takes
    makes its ``newer`` test as safe as the upsert's.
    """
    table = model.__table__
    connection = _connection(session)
    update, params = _update(table, key, values, newer, on_conflict, tuple(returning))
    row = connection.execute(update, params).one_or_none()
    if row is None:
        columns = [table.c[name] for name in returning]
        statement = _statement(connection, table, key, values, newer, on_conflict)
        row = connection.execute(statement.returning(*columns)).one_or_none()
        if row is None:
            where = [table.c[name] == value for name, value in key.items()]
            row = connection.execute(sa.select(*columns).where(*where)).one()
    return row


_UPDATES: dict[tuple[Any, ...], Any] = {}  # built UPDATE statements by shape (few call sites)


def _update(
    table: sa.Table,
    key: Mapping[str, Any],
    values: Mapping[str, Any],
    newer: Any,
    on_conflict: Mapping[str, Any] | None,
    returning: tuple[str, ...],
) -> tuple[Any, dict[str, Any]]:
    """The ``UPDATE ... WHERE key AND newer RETURNING`` of ``upsert_newer_columns`` and its
    parameters. Every value is a named parameter, so a statement depends only on its shape
    and is built once; callables that capture variables (whose statement may differ from
    call to call) are built afresh each time."""
    updates = on_conflict if on_conflict is not None else values
    made = [newer, *(value for value in updates.values() if callable(value))]
    shape = (table.name, tuple(key), tuple(values), tuple(updates), returning,
             tuple(getattr(f, "__code__", f) for f in made))  # fmt: skip
    reusable = all(getattr(f, "__code__", None) is not None and not f.__closure__ for f in made)
    params = {f"k_{name}": value for name, value in key.items()}
    params.update({f"v_{name}": value for name, value in values.items()})
    params.update({f"u_{name}": value for name, value in updates.items() if not callable(value)})
    statement = _UPDATES.get(shape) if reusable else None
    if statement is None:
        given = _Given(table, "v_")
        statement = (
            sa.update(table)
            .where(*(table.c[name] == _bind(table, "k_", name) for name in key),
                   newer(given, table.c))
            .values({name: value(given, table.c) if callable(value) else _bind(table, "u_", name)
                     for name, value in updates.items()})
            .returning(*(table.c[name] for name in returning))
        )  # fmt: skip
        if reusable:
            _UPDATES[shape] = statement
    return statement, params


def _bind(table: sa.Table, prefix: str, name: str) -> Any:
    """A named parameter for a value of column ``name``, typed like the column."""
    return sa.bindparam(prefix + name, type_=table.c[name].type)


class _Given:
    """The new values as named parameters: what ``excluded`` is to the upsert, for the
    ``newer`` and ``on_conflict`` callables of the ``UPDATE``."""

    def __init__(self, table: sa.Table, prefix: str) -> None:
        """Name the parameters of ``table``'s columns with ``prefix``."""
        self._table, self._prefix = table, prefix

    def __getattr__(self, name: str) -> Any:
        """The parameter for column ``name``."""
        return _bind(self._table, self._prefix, name)


def write_newer(
    session: DbSession,
    model: type[Any],
    key: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    newer: Any,
    on_conflict: Mapping[str, Any] | None = None,
) -> None:
    """Write a newer row, for a caller that does not need it back: one round trip."""
    connection = _connection(session)
    connection.execute(_statement(connection, model.__table__, key, values, newer, on_conflict))
