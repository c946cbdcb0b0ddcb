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

# The keyset order (created_at DESC, id DESC) read straight from one B-tree.
ORDER_INDEX = """
CREATE INDEX IF NOT EXISTS events_created_at_id_desc
    ON events (created_at DESC, id DESC)
"""


def connect() -> psycopg.Connection:
    """A new autocommit connection (PGHOST, PGDATABASE and PGUSER are set)."""
    return psycopg.connect(autocommit=True)


def init_db() -> None:
    """Create the schema if it does not exist yet; safe to call many times."""
    with connect() as conn:
        conn.execute(SCHEMA)
        conn.execute(ORDER_INDEX)
