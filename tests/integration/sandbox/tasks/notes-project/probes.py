from probekit import probe


@probe("count-follows-adds", weight=2)
def _(notes):
    before = notes.count_notes()
    notes.add_note("one")
    notes.add_note("two")
    return notes.count_notes() - before


@probe("cached-count-expires")
def _(notes):
    import os

    import redis

    notes.count_notes()
    ttl = redis.Redis.from_url(os.environ["REDIS_URL"]).ttl("notes:count")
    return 0 < ttl <= 60


@probe("recent-newest-first")
def _(notes):
    notes.add_note("older")
    notes.add_note("newer")
    return notes.recent(2)


@probe("rows-in-postgres")
def _(notes):
    import psycopg

    notes.add_note("stored")
    with psycopg.connect(autocommit=True) as conn:
        (rows,) = conn.execute("SELECT count(*) FROM note").fetchone()
    return rows == notes.count_notes()
