"""One shared connection for the whole process, opened lazily; the schema."""

import threading

import psycopg

_lock = threading.Lock()
_shared: dict[str, psycopg.Connection] = {}

DDL = [
    """CREATE TABLE IF NOT EXISTS events (
        id bigserial PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        kind text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}'::jsonb
    )""",
    "CREATE INDEX IF NOT EXISTS events_by_time_then_id ON events (created_at DESC, id DESC)",
]


def connect() -> psycopg.Connection:
    """A new autocommit connection."""
    return psycopg.connect(autocommit=True)


def shared() -> psycopg.Connection:
    """The process-wide connection (reopened if it was closed)."""
    with _lock:
        conn = _shared.get("conn")
        if conn is None or conn.closed:
            conn = _shared["conn"] = psycopg.connect()
        return conn


def init_db() -> None:
    """Create what is missing, in one transaction."""
    with connect() as conn, conn.transaction():
        for statement in DDL:
            conn.execute(statement)
