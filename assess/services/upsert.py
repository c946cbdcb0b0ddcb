"""One statement that inserts a row or updates it when a newer revision arrives.

"Select, then insert if missing" loses a race: two first saves of the same answer both see
nothing and the second insert breaks the unique constraint (a 500). ``INSERT ... ON CONFLICT
DO UPDATE ... WHERE`` (SQLite 3.24+, PostgreSQL 9.5+) decides inside the database, so
concurrent first writes end as one row holding the newest revision, in one round trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from assess.extensions import DbSession

Row = TypeVar("Row")


def upsert_newer(
    session: DbSession,
    model: type[Row],
    key: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    newer: Any,
    on_conflict: Mapping[str, Any] | None = None,
) -> Row:
    """Insert ``key`` + ``values``, or on a conflict of ``key`` set ``on_conflict`` (default:
    ``values``; a callable value is given ``(excluded, table)``) where ``newer(excluded,
    table)`` holds; return the row as stored, freshly loaded."""
    dialect = session.get_bind().dialect.name
    build = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = model.__table__  # type: ignore[attr-defined]
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
    session.execute(statement)
    query = sa.select(model).filter_by(**key).execution_options(populate_existing=True)
    return session.scalars(query).one()
