"""Hidden checks: rows are inserted with plain SQL, the module is driven through
``get_profile`` and ``update_profile``, and what Redis and PostgreSQL themselves report
(keys, TTLs, command counts, statement counts) is returned. Each probe has its own ids."""

import json
import os

import psycopg
import redis

from probekit import probe, sql_statements

DEAD_REDIS_URL = "unix:///tmp/profile-probe-no-redis.sock"
EXPIRE_COMMANDS = ("expire", "pexpire", "expireat", "pexpireat")


def server():
    """The probe's own client of the task's Redis."""
    return redis.Redis.from_url(os.environ["REDIS_URL"])


def key(profile_id):
    """The key the statement names."""
    return f"profile:{profile_id}"


def prepare(profiles, rows, absent=()):
    """Create the table, insert ``rows`` (id, display_name, bio) and make sure neither they
    nor the ``absent`` ids have a row or a cached copy left from before."""
    profiles.init_db()
    ids = [row[0] for row in rows] + list(absent)
    with psycopg.connect(autocommit=True) as conn:
        conn.execute("DELETE FROM profiles WHERE id = ANY(%s)", (ids,))
        for row in rows:
            conn.execute("INSERT INTO profiles (id, display_name, bio) VALUES (%s, %s, %s)", row)
    server().delete(*[key(profile_id) for profile_id in ids])


def insert(row):
    """Insert one row behind the module's back."""
    with psycopg.connect(autocommit=True) as conn:
        conn.execute("INSERT INTO profiles (id, display_name, bio) VALUES (%s, %s, %s)", row)


def shown(profile):
    """A profile without its clock-dependent ``updated_at`` (whose presence is kept)."""
    if profile is None:
        return None
    if type(profile) is not dict:
        return f"not a dict: {type(profile).__name__}"
    seen = {name: value for name, value in profile.items() if name != "updated_at"}
    seen["has_updated_at"] = type(profile.get("updated_at")) is str
    return seen


def expire_calls(client):
    """How many EXPIRE-family commands Redis has executed so far."""
    stats = client.info("commandstats")
    return sum(stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in EXPIRE_COMMANDS)


def ttl_bucket(seconds):
    """A TTL reply in words, so the observation never depends on timing."""
    if seconds == -2:
        return "no key"
    if seconds == -1:
        return "no expiry"
    if 295 < seconds <= 300:
        return "300 seconds"
    return "other"


@probe("first-read-caches-json", weight=2)
def _(profiles):
    prepare(profiles, [(7101, "Zoë Ortega", "Maps rivers")])
    first = profiles.get_profile(7101)
    raw = server().get(key(7101))
    stored = None if raw is None else json.loads(raw)
    return {"returned": shown(first), "cached": shown(stored), "same": stored == first}


@probe("second-read-runs-no-sql", weight=3)
def _(profiles):
    prepare(profiles, [(7201, "Ada", "Writes compilers")])
    first = profiles.get_profile(7201)
    with sql_statements() as seen:
        second = profiles.get_profile(7201)
    return {"statements": seen.count, "same": second == first, "second": shown(second)}


@probe("cached-for-300-seconds", weight=2)
def _(profiles):
    prepare(profiles, [(7301, "Grace", "Debugs hardware")])
    profiles.get_profile(7301)
    return ttl_bucket(server().ttl(key(7301)))


@probe("ttl-set-with-the-value")
def _(profiles):
    prepare(profiles, [(7401, "Linus", "Kernels")])
    client = server()
    before = expire_calls(client)
    profiles.get_profile(7401)
    after = expire_calls(client)
    return {"expire_commands": after - before, "has_ttl": client.ttl(key(7401)) > 0}


@probe("update-then-read-is-fresh", weight=3)
def _(profiles):
    prepare(profiles, [(7501, "Barbara", "Before")])
    profiles.get_profile(7501)
    profiles.update_profile(7501, bio="After")
    after = profiles.get_profile(7501)
    again = profiles.get_profile(7501)
    profiles.update_profile(7501, display_name="Barbara L.")
    renamed = profiles.get_profile(7501)
    return [shown(after), shown(again), shown(renamed)]


@probe("update-deletes-the-key")
def _(profiles):
    prepare(profiles, [(7601, "Edsger", "Structured")])
    profiles.get_profile(7601)
    profiles.update_profile(7601, display_name="E. W. Dijkstra")
    return server().exists(key(7601))


@probe("missing-profile-not-cached", weight=2)
def _(profiles):
    prepare(profiles, [], absent=[7701])
    missing = profiles.get_profile(7701)
    left = server().exists(key(7701))
    insert((7701, "Margaret", "Arrived later"))
    later = profiles.get_profile(7701)
    return {"missing": shown(missing), "key_after_miss": left, "after_insert": shown(later)}


@probe("redis-down-reads-database", weight=2)
def _(profiles):
    prepare(profiles, [(7801, "Ken", "Unix")], absent=[7802])
    saved = os.environ["REDIS_URL"]
    os.environ["REDIS_URL"] = DEAD_REDIS_URL
    try:
        existing = profiles.get_profile(7801)
        repeated = profiles.get_profile(7801)
        missing = profiles.get_profile(7802)
    finally:
        os.environ["REDIS_URL"] = saved
    return {"existing": shown(existing), "repeated": shown(repeated), "missing": shown(missing)}
