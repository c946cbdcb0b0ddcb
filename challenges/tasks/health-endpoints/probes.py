"""Hidden checks: the health endpoints through Flask's test client, with PostgreSQL and
Redis up, or made unreachable through the settings the statement names."""

from probekit import probe

PG_DOWN = {"POSTGRES_DSN": "host=/nonexistent dbname=postgres"}
REDIS_DOWN = {"REDIS_URL": "unix:///nonexistent/redis.sock"}


def answer(catalog, path, settings=None):
    """Status, JSON body and Cache-Control of one GET."""
    app = catalog.create_app(settings)
    response = app.test_client().get(path)
    return {
        "status": response.status_code,
        "body": response.get_json(silent=True),
        "no_store": "no-store"
        in [d.strip().lower() for d in response.headers.get("Cache-Control", "").split(",")],
    }


def without_cache_header(seen):
    return {key: value for key, value in seen.items() if key != "no_store"}


@probe("healthz-answers")
def _(catalog):
    return without_cache_header(answer(catalog, "/healthz"))


@probe("healthz-ignores-dependencies", weight=2)
def _(catalog):
    both_down = {**PG_DOWN, **REDIS_DOWN}
    return [
        without_cache_header(answer(catalog, "/healthz", settings))
        for settings in (PG_DOWN, REDIS_DOWN, both_down)
    ]


@probe("readyz-ready", weight=2)
def _(catalog):
    return without_cache_header(answer(catalog, "/readyz"))


@probe("readyz-postgres-down", weight=2)
def _(catalog):
    return without_cache_header(answer(catalog, "/readyz", PG_DOWN))


@probe("readyz-redis-down", weight=2)
def _(catalog):
    return without_cache_header(answer(catalog, "/readyz", REDIS_DOWN))


@probe("readyz-both-down")
def _(catalog):
    return without_cache_header(answer(catalog, "/readyz", {**PG_DOWN, **REDIS_DOWN}))


@probe("readyz-checks-every-call")
def _(catalog):
    app = catalog.create_app()
    client = app.test_client()
    first = client.get("/readyz").status_code
    app.config.update(PG_DOWN)
    second = client.get("/readyz").status_code
    app.config["POSTGRES_DSN"] = ""
    third = client.get("/readyz").status_code
    return [first, second, third]


@probe("no-store-on-both")
def _(catalog):
    return [
        answer(catalog, "/healthz")["no_store"],
        answer(catalog, "/readyz")["no_store"],
        answer(catalog, "/readyz", REDIS_DOWN)["no_store"],
    ]


@probe("readyz-closes-its-connections")
def _(catalog):
    import gc

    import psycopg

    query = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
    )
    with psycopg.connect(autocommit=True) as watcher:
        (before,) = watcher.execute(query).fetchone()
        client = catalog.create_app().test_client()
        responses = [client.get("/readyz") for _ in range(12)]
        (after,) = watcher.execute(query).fetchone()
    del responses
    gc.collect()
    return after - before <= 2
