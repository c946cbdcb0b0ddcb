"""Notes in PostgreSQL; the count is cached in Redis for 60 seconds."""

import psycopg
import redis

KEY = "notes:count"


def _db():
    return psycopg.connect(autocommit=True)  # PGHOST, PGDATABASE and PGUSER are set


def _cache():
    import os

    return redis.Redis.from_url(os.environ["REDIS_URL"])


def setup():
    with _db() as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS note (id serial PRIMARY KEY, body text NOT NULL)")


def add_note(body):
    setup()
    with _db() as conn:
        conn.execute("INSERT INTO note (body) VALUES (%s)", (body,))
    _cache().delete(KEY)


def count_notes():
    setup()
    cached = _cache().get(KEY)
    if cached is not None:
        return int(cached)
    with _db() as conn:
        (value,) = conn.execute("SELECT count(*) FROM note").fetchone()
    _cache().set(KEY, value, ex=60)
    return value


def recent(limit):
    setup()
    with _db() as conn:
        rows = conn.execute("SELECT body FROM note ORDER BY id DESC LIMIT %s", (limit,))
        return [body for (body,) in rows]
