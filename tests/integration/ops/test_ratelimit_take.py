"""``take`` decides and records the same way on the database and on Redis."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from flask import Flask
from redis import Redis

from assess.extensions import db
from assess.ops.ratelimit import EventCounter, RedisCounter, counter_for
from assess.services import throttle
from tests.conftest import require
from tests.integration.candidate.test_autosave_cost import statements
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
    if isinstance(chosen, RedisCounter):
        Redis.from_url(redis_url).flushdb()
    return chosen


def test_take_allows_the_limit_and_says_how_long_to_wait(counter: EventCounter) -> None:
    """Three of three go through; the fourth is refused with the time until the oldest
    leaves the window, and records nothing; a refund makes room again."""
    now = time.time()
    tickets = [counter.take("k", 60, throttle.at_most(3), 1, now + n) for n in range(3)]
    db.session.commit()
    assert all(t.allowed and len(t.events) == 1 for t in tickets)
    refused = counter.take("k", 60, throttle.at_most(3), 1, now + 10)
    assert not refused.allowed and refused.retry_after == 50 and refused.events == ()
    assert counter.count_recent("k", 3600) == 3
    counter.refund("k", tickets[0].events)
    db.session.commit()
    assert counter.take("k", 60, throttle.at_most(3), 1, now + 11).allowed


def test_take_applies_back_off_and_a_cost(counter: EventCounter) -> None:
    """Back-off doubles after the free events; a cost above the room is refused whole."""
    now = time.time()
    rule = throttle.backoff(free=1, base_seconds=10, max_seconds=25)
    assert counter.take("b", 3600, rule, 1, now).allowed
    assert counter.take("b", 3600, rule, 1, now + 1).retry_after == 9
    assert counter.take("b", 3600, rule, 1, now + 10).allowed
    assert counter.take("b", 3600, rule, 1, now + 10).retry_after == 20
    assert counter.take("b", 3600, rule, 1, now + 30).allowed
    assert counter.take("b", 3600, rule, 1, now + 30).retry_after == 25  # the cap
    many = counter.take("c", 3600, throttle.at_most(5), 6, now)
    assert not many.allowed
    assert counter.take("c", 3600, throttle.at_most(5), 5, now).allowed


def test_a_batch_is_one_insert_and_its_refund_removes_it_whole(app: Flask) -> None:
    """A take of 25 events (a batch of invitations) writes them in one INSERT, each with
    its own id; refunding the ticket deletes all 25 and nothing else."""
    now = time.time()
    assert throttle.db_take(db.session, "batch", 60, throttle.at_most(30), 1, now).allowed
    with statements() as seen:
        ticket = throttle.db_take(db.session, "batch", 60, throttle.at_most(30), 25, now + 1)
    assert ticket.allowed
    assert seen.count("INSERT") == 1
    assert len(set(ticket.events)) == 25
    assert throttle.db_count_recent(db.session, "batch", 3600) == 26
    throttle.db_refund(db.session, ticket.events)
    db.session.commit()
    assert throttle.db_count_recent(db.session, "batch", 3600) == 1
