"""PostgreSQL access: PGHOST, PGDATABASE and PGUSER come from the environment."""

from __future__ import annotations

from pathlib import Path

import psycopg

SCHEMA = Path(__file__).with_name("schema.sql")


def connect() -> psycopg.Connection:
    """A new connection in autocommit mode (close it, e.g. with ``with connect() as conn``)."""
    return psycopg.connect(autocommit=True)


def init_db() -> None:
    """Create the tables and indexes of schema.sql unless they exist."""
    with connect() as conn:
        conn.execute(SCHEMA.read_text(encoding="utf-8"))
