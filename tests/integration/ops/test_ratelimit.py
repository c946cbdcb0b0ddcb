"""The database and Redis event counters count the same way."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from redis import Redis

from assess.extensions import db
from assess.ops.ratelimit import DatabaseCounter, EventCounter, RedisCounter, counter_for
from tests.conftest import require
from tests.integration.ops.servers import PrivateRedis, redis_problem


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private Redis for this module."""
    require(redis_problem(), "Redis")
    server = PrivateRedis(tmp_path_factory.mktemp("redis"), persistent=False).start()
    yield server.url
    server.stop()


@pytest.fixture(params=["database", "redis"])
def counter(request: pytest.FixtureRequest, app: Flask, redis_url: str) -> EventCounter:
    """Each counter, chosen the way the app chooses it."""
    app.config.update(REDIS_URL=redis_url, RATE_LIMIT_BACKEND=request.param)
    chosen = counter_for(app, db.session())
    expected = RedisCounter if request.param == "redis" else DatabaseCounter
    assert isinstance(chosen, expected)
    if isinstance(chosen, RedisCounter):
        Redis.from_url(redis_url).flushdb()
    return chosen


def test_counts_in_a_sliding_window(counter: EventCounter, tmp_path: Path) -> None:
    """Three events count three; other keys are apart; old events leave the window."""
    for _ in range(3):
        counter.record("login:ip:10.0.0.1", 60)
    counter.record("login:ip:10.0.0.2", 60)
    db.session.commit()
    assert counter.count_recent("login:ip:10.0.0.1", 60) == 3
    assert counter.count_recent("login:ip:10.0.0.2", 60) == 1
    time.sleep(1.1)
    assert counter.count_recent("login:ip:10.0.0.1", 1) == 0
    counter.clear("login:ip:10.0.0.2")
    db.session.commit()
    assert counter.count_recent("login:ip:10.0.0.2", 60) == 0


def test_sign_in_throttle_counts_in_redis_when_configured(
    app: Flask, redis_url: str, client: object, factory: object
) -> None:
    """With the Redis backend, failed sign-ins are counted in Redis, not in the database."""
    from assess import create_app
    from assess.models import ThrottleEvent
    from assess.services import throttle
    from tests.conftest import Auth

    Redis.from_url(redis_url).flushdb()
    scaled = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": redis_url,
            "RATE_LIMIT_BACKEND": "redis",
            "LOGIN_FAILURES_PER_ACCOUNT": 2,
        }
    )
    try:
        auth = Auth(scaled.test_client())
        for _ in range(2):
            assert auth.login("ghost@example.com", "wrong password!!").status_code == 200
        assert auth.login("ghost@example.com", "wrong password!!").status_code == 429
        assert db.session.query(ThrottleEvent).count() == 0
        assert list(Redis.from_url(redis_url).scan_iter("assess:rl:login:*"))
    finally:
        throttle.use(None)
        with scaled.app_context():
            db.engine.dispose()
