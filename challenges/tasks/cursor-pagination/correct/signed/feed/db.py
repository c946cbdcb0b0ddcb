"""Schema of the feed, with the index that serves the newest-first keyset order."""

import psycopg

STATEMENTS = (
    """
    CREATE TABLE IF NOT EXISTS events (
        id bigserial PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        kind text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}'::jsonb
    )
    """,
    "CREATE INDEX IF NOT EXISTS events_newest_idx ON events (created_at DESC, id DESC)",
)


def connect() -> psycopg.Connection:
    """A new autocommit connection."""
    return psycopg.connect(autocommit=True)


def init_db() -> None:
    """Create the table and its index when missing."""
    with connect() as conn:
        for statement in STATEMENTS:
            conn.execute(statement)
