"""The limiter against the Redis server at REDIS_URL (each test uses a fresh key)."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from ratelimit import Decision, Limiter


@pytest.fixture()
def client() -> redis.Redis:
    return redis.Redis.from_url(os.environ["REDIS_URL"])


def fresh() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def test_allows_up_to_the_limit(client) -> None:
    limiter = Limiter(client, 2, 10)
    key = fresh()
    assert limiter.hit(key, 100.0) == Decision(True, 1, 0)
    assert limiter.hit(key, 100.5) == Decision(True, 0, 0)
    assert limiter.hit(key, 101.0) == Decision(False, 0, 9)


def test_the_window_slides(client) -> None:
    limiter = Limiter(client, 2, 10)
    key = fresh()
    limiter.hit(key, 108.0)
    limiter.hit(key, 109.0)
    # (100, 110] still holds both hits: a fixed window starting at 110 would allow this one
    assert limiter.hit(key, 110.0).allowed is False
    assert limiter.hit(key, 118.0) == Decision(True, 0, 0)


def test_hits_are_kept_in_a_sorted_set(client) -> None:
    limiter = Limiter(client, 5, 10)
    key = fresh()
    limiter.hit(key, 100.0)
    limiter.hit(key, 100.0)
    stored = client.zrange(f"ratelimit:{key}", 0, -1, withscores=True)
    assert [score for _, score in stored] == [100.0, 100.0]
    assert 0 < client.ttl(f"ratelimit:{key}") <= 10
