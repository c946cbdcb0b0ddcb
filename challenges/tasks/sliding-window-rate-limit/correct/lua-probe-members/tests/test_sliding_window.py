"""The statement's examples, storage, and concurrency."""

from __future__ import annotations

import os
import threading
import uuid

import redis

from ratelimit import Decision, Limiter, create_app


def client() -> redis.Redis:
    return redis.Redis.from_url(os.environ["REDIS_URL"])


def test_statement_example() -> None:
    r = client()
    key = f"t-{uuid.uuid4().hex[:12]}"
    limiter = Limiter(r, 2, 10)
    assert r.exists(f"ratelimit:{key}") == 0
    got = [limiter.hit(key, t) for t in (100.0, 100.5, 101.0, 109.25, 110.0, 110.25)]
    assert got == [
        Decision(True, 1, 0),
        Decision(True, 0, 0),
        Decision(False, 0, 9),
        Decision(False, 0, 1),
        Decision(True, 0, 0),
        Decision(False, 0, 1),
    ]
    assert all(type(d.allowed) is bool and type(d.remaining) is int for d in got)
    stored = r.zrange(f"ratelimit:{key}", 0, -1, withscores=True)
    assert [score for _, score in stored] == [100.5, 110.0]
    assert 0 < r.ttl(f"ratelimit:{key}") <= 10


def test_same_time_hits_are_distinct_members() -> None:
    r = client()
    key = f"t-{uuid.uuid4().hex[:12]}"
    limiter = Limiter(r, 5, 10)
    for _ in range(3):
        assert limiter.hit(key, 500.0).allowed
    assert r.zcard(f"ratelimit:{key}") == 3


def test_concurrent_hits_never_exceed_the_limit() -> None:
    limiter = Limiter(client(), 4, 60)
    for _ in range(10):
        key = f"t-{uuid.uuid4().hex[:12]}"
        results: list[bool] = []
        barrier = threading.Barrier(8)

        def work() -> None:
            barrier.wait()
            for _ in range(2):
                results.append(limiter.hit(key, 42.0).allowed)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results.count(True) == 4
        assert client().zcard(f"ratelimit:{key}") == 4


def test_route_example() -> None:
    now = [1000.0]
    app = create_app(
        {"RATELIMIT_LIMIT": 2, "RATELIMIT_WINDOW": 60, "RATELIMIT_CLOCK": lambda: now[0]}
    )
    c = app.test_client()
    key = {"X-API-Key": f"k-{uuid.uuid4().hex[:12]}"}
    seen = []
    for t in (1000.0, 1000.5, 1001.0, 1060.25):
        now[0] = t
        resp = c.get("/api/quote", headers=key)
        seen.append(
            (
                resp.status_code,
                resp.headers["X-RateLimit-Remaining"],
                resp.headers.get("Retry-After"),
            )
        )
    assert seen == [(200, "1", None), (200, "0", None), (429, "0", "59"), (200, "0", None)]
    assert c.get("/api/quote", headers={"X-API-Key": ""}).status_code == 401
