"""Shared fixtures: the table exists, and each test starts from its own clean profiles."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import redis

from profiles import connect, init_db, redis_client


@pytest.fixture
def cache() -> redis.Redis:
    """A Redis client of the test's own."""
    return redis_client()


@pytest.fixture
def add_profile(cache: redis.Redis) -> Iterator[Callable[..., int]]:
    """Insert a profile row directly in PostgreSQL; the rows and keys go away afterwards."""
    init_db()
    made: list[int] = []

    def add(profile_id: int, display_name: str, bio: str = "") -> int:
        with connect() as conn:
            conn.execute("DELETE FROM profiles WHERE id = %s", (profile_id,))
            conn.execute(
                "INSERT INTO profiles (id, display_name, bio) VALUES (%s, %s, %s)",
                (profile_id, display_name, bio),
            )
        cache.delete(f"profile:{profile_id}")
        made.append(profile_id)
        return profile_id

    yield add
    with connect() as conn:
        conn.execute("DELETE FROM profiles WHERE id = ANY(%s)", (made,))
    if made:
        cache.delete(*[f"profile:{profile_id}" for profile_id in made])
