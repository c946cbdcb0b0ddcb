"""Portable backups: every table as gzip-compressed JSON lines, restorable into an empty
database of the same schema revision, on SQLite and PostgreSQL alike.

The file holds a header (format, version, Alembic revision, table order), one line per row
in foreign-key order, and a footer with the row count of each table, so a truncated file
is refused instead of half-restored. A restore runs in one transaction.
"""

from __future__ import annotations

import base64
import enum
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assess.extensions import db
from assess.models import utcnow

FORMAT = "assess-backup"
FORMAT_VERSION = 1
BATCH = 500


class BackupError(Exception):
    """A backup could not be written or restored."""


@dataclass(frozen=True)
class BackupReport:
    """What a backup or restore moved."""

    path: Path
    revision: str | None
    rows: dict[str, int]

    @property
    def total(self) -> int:
        """Rows across every table."""
        return sum(self.rows.values())


def tables() -> list[sa.Table]:
    """The application's tables, parents before children."""
    return list(db.metadata.sorted_tables)


def alembic_revision(connection: Connection) -> str | None:
    """The schema revision recorded by Alembic, None when the table is absent or empty."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    value = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    return None if value is None else str(value)


def encode(value: Any) -> Any:
    """A JSON-ready form of a column value (datetimes, enums, bytes and decimals tagged)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    return value


def decode(value: Any, column: sa.Column[Any]) -> Any:
    """The Python value to insert into ``column`` for a stored ``value``."""
    if isinstance(value, dict) and len(value) == 1 and not isinstance(column.type, sa.JSON):
        ((tag, raw),) = value.items()
        if tag == "$dt":
            return datetime.fromisoformat(raw)
        if tag == "$date":
            return date.fromisoformat(raw)
        if tag == "$b64":
            return base64.b64decode(raw)
        if tag == "$dec":
            return Decimal(raw)
    if value is None and isinstance(column.type, sa.JSON) and column.nullable:
        return sa.null()  # SQL NULL, as the ORM wrote it (not the JSON value null)
    enum_class = getattr(column.type, "enum_class", None)
    if value is not None and enum_class is not None:
        return enum_class(value)
    return value


def _rows(connection: Connection, table: sa.Table) -> Iterator[dict[str, Any]]:
    """Every row of ``table`` in primary-key order, encoded."""
    query = sa.select(table).order_by(*table.primary_key.columns)
    result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(query)
    for row in result.mappings():
        yield {key: encode(value) for key, value in row.items()}


def write_backup(connection: Connection, handle: IO[str]) -> tuple[str | None, dict[str, int]]:
    """Write every table to ``handle`` as JSON lines; returns the revision and row counts."""
    revision = alembic_revision(connection)
    order = [table.name for table in tables()]
    header = {"format": FORMAT, "version": FORMAT_VERSION, "revision": revision,
              "created_at": utcnow().isoformat(), "tables": order}  # fmt: skip
    handle.write(json.dumps(header) + "\n")
    counts: dict[str, int] = {}
    for table in tables():
        counts[table.name] = 0
        for row in _rows(connection, table):
            handle.write(json.dumps({"t": table.name, "r": row}, ensure_ascii=False) + "\n")
            counts[table.name] += 1
    handle.write(json.dumps({"end": True, "rows": counts}) + "\n")
    return revision, counts


def backup(engine: sa.Engine, path: Path) -> BackupReport:
    """Back up the database behind ``engine`` to ``path`` (gzip JSON lines, mode 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with engine.connect() as connection, connection.begin():
        if connection.dialect.name == "postgresql":  # one consistent snapshot of every table
            connection.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        with gzip.open(partial, "wt", encoding="utf-8") as handle:
            revision, counts = write_backup(connection, handle)
    partial.chmod(0o600)
    partial.replace(path)
    return BackupReport(path, revision, counts)


def read_header(handle: IO[str]) -> dict[str, Any]:
    """The header line, checked for format and version."""
    try:
        header = json.loads(handle.readline() or "null")
    except json.JSONDecodeError as exc:
        raise BackupError("not an Assess backup (unreadable header)") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("not an Assess backup")
    if header.get("version") != FORMAT_VERSION:
        raise BackupError(f"backup format version {header.get('version')} is not supported "
                          f"(this version reads {FORMAT_VERSION})")  # fmt: skip
    return header


def non_empty_tables(connection: Connection) -> list[str]:
    """Application tables that already hold rows (a restore needs them all empty)."""
    inspector = sa.inspect(connection)
    missing = [t.name for t in tables() if not inspector.has_table(t.name)]
    if missing:
        raise BackupError(
            f"the target database has no schema (missing {', '.join(missing[:3])}...); "
            "run `flask --app wsgi db upgrade` first"
        )
    return [
        table.name for table in tables()
        if connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first()
    ]  # fmt: skip


def restore_into(connection: Connection, handle: IO[str]) -> tuple[str | None, dict[str, int]]:
    """Insert every row of the backup in ``handle``; the caller owns the transaction."""
    header = read_header(handle)
    revision = alembic_revision(connection)
    if header.get("revision") != revision:
        raise BackupError(
            f"the backup is of schema revision {header.get('revision')}, the database is at "
            f"{revision}; upgrade or downgrade the empty database to match first"
        )
    busy = non_empty_tables(connection)
    if busy:
        raise BackupError(f"the target database is not empty ({', '.join(busy[:5])}); "
                          "restore only into an empty database")  # fmt: skip
    known = {table.name: table for table in tables()}
    counts: dict[str, int] = dict.fromkeys(known, 0)
    pending: list[dict[str, Any]] = []
    current: sa.Table | None = None
    footer: dict[str, Any] | None = None
    for line in handle:
        record = json.loads(line)
        if record.get("end"):
            footer = record
            break
        table = known.get(record.get("t", ""))
        if table is None:
            raise BackupError(f"the backup names an unknown table {record.get('t')!r}")
        if current is not None and table is not current:
            _flush(connection, current, pending)
        current = table
        pending.append({k: decode(v, table.c[k]) for k, v in record["r"].items() if k in table.c})
        counts[table.name] += 1
        if len(pending) >= BATCH:
            _flush(connection, table, pending)
    if current is not None:
        _flush(connection, current, pending)
    if footer is None:
        raise BackupError("the backup is truncated (no end marker); nothing was restored")
    expected = {k: int(v) for k, v in footer.get("rows", {}).items()}
    if {k: v for k, v in counts.items() if v or k in expected} != expected:
        raise BackupError("the backup's row counts do not match its footer; nothing was restored")
    reset_sequences(connection)
    return header.get("revision"), counts


def _flush(connection: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert the buffered ``rows`` into ``table`` and empty the buffer."""
    if rows:
        connection.execute(table.insert(), rows)
        rows.clear()


def reset_sequences(connection: Connection) -> None:
    """Move PostgreSQL's id sequences past the restored ids (SQLite needs nothing)."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables():
        for column in table.primary_key.columns:
            if isinstance(column.type, sa.Integer) and column.autoincrement in (True, "auto"):
                top = sa.select(sa.func.max(column)).scalar_subquery()
                sequence = sa.func.pg_get_serial_sequence(table.name, column.name)
                connection.execute(
                    sa.select(sa.func.setval(sequence, sa.func.coalesce(top, 1), top.is_not(None)))
                )


def restore(engine: sa.Engine, path: Path) -> BackupReport:
    """Restore ``path`` into the empty database behind ``engine``, all or nothing."""
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle, engine.begin() as connection:
            revision, counts = restore_into(connection, handle)
    except (OSError, EOFError, json.JSONDecodeError) as exc:
        raise BackupError(f"the backup could not be read: {type(exc).__name__}: {exc}") from exc
    return BackupReport(path, revision, counts)
