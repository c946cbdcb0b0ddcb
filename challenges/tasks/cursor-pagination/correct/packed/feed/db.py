"""The feed's database."""

import psycopg
from psycopg.rows import dict_row

TABLE = """
CREATE TABLE IF NOT EXISTS events (
    id bigserial PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    kind text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}'::jsonb
)
"""
KEYSET_INDEX = "CREATE INDEX IF NOT EXISTS ix_events_keyset ON events (created_at, id)"


def connect() -> psycopg.Connection:
    """An autocommit connection whose rows are dicts."""
    return psycopg.connect(autocommit=True, row_factory=dict_row)


def init_db() -> None:
    """Table and keyset index, created when absent."""
    with connect() as conn:
        conn.execute(TABLE)
        conn.execute(KEYSET_INDEX)
