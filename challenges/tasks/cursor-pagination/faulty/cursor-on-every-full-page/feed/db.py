"""The database of the feed: one connection per use, and the schema."""

import psycopg

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id bigserial PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    kind text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}'::jsonb
)
"""

# Serves ORDER BY created_at DESC, id DESC and the keyset condition (scanned backwards).
INDEX = "CREATE INDEX IF NOT EXISTS events_created_at_id_idx ON events (created_at, id)"


def connect() -> psycopg.Connection:
    """A new autocommit connection (PGHOST, PGDATABASE and PGUSER are set)."""
    return psycopg.connect(autocommit=True)


def init_db() -> None:
    """Create the schema and its index if they do not exist yet; safe to call many times."""
    with connect() as conn:
        conn.execute(SCHEMA)
        conn.execute(INDEX)
