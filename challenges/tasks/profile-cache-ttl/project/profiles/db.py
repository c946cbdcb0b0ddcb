"""The PostgreSQL side: connections and the ``profiles`` table."""

from __future__ import annotations

import psycopg

SCHEMA = """
CREATE TABLE IF NOT EXISTS profiles (
    id integer PRIMARY KEY,
    display_name text NOT NULL,
    bio text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now()
)
"""


def connect() -> psycopg.Connection:
    """A new autocommit connection to the database that PGHOST, PGDATABASE and PGUSER name."""
    return psycopg.connect(autocommit=True)


def init_db() -> None:
    """Create the ``profiles`` table unless it exists."""
    with connect() as conn:
        conn.execute(SCHEMA)
