"""The profile store: PostgreSQL behind a Redis cache-aside."""

from __future__ import annotations

import json

import pytest

from profiles import connect, get_profile, init_db, update_profile


def test_reads_a_profile(add_profile):
    """A stored profile comes back with its four fields."""
    add_profile(1, "Ada", "Writes compilers")
    profile = get_profile(1)
    assert {k: v for k, v in profile.items() if k != "updated_at"} == {
        "id": 1,
        "display_name": "Ada",
        "bio": "Writes compilers",
    }
    assert isinstance(profile["updated_at"], str)


def test_missing_profile_is_none(add_profile, cache):
    """An id without a row reads as None and leaves no key behind."""
    init_db()
    cache.delete("profile:2")
    assert get_profile(2) is None
    assert cache.exists("profile:2") == 0


def test_first_read_caches_the_profile_for_300_seconds(add_profile, cache):
    """The read that misses stores the profile as JSON under profile:<id> with a TTL."""
    add_profile(3, "Grace", "Debugs hardware")
    profile = get_profile(3)
    assert json.loads(cache.get("profile:3")) == profile
    assert 295 < cache.ttl("profile:3") <= 300


def test_second_read_comes_from_redis(add_profile):
    """Once cached, a change made behind the store's back is not seen (no query ran)."""
    add_profile(4, "Linus", "Old bio")
    first = get_profile(4)
    with connect() as conn:
        conn.execute("UPDATE profiles SET bio = 'changed in SQL' WHERE id = 4")
    assert get_profile(4) == first


def test_update_is_seen_by_the_next_read(add_profile, cache):
    """update_profile drops the cached copy, so the next read shows the new values."""
    add_profile(5, "Barbara", "Before")
    get_profile(5)
    assert update_profile(5, bio="After") is True
    assert cache.exists("profile:5") == 0
    assert get_profile(5)["bio"] == "After"


def test_reads_work_without_redis(add_profile, monkeypatch):
    """With no Redis server at REDIS_URL, reads fall back to PostgreSQL."""
    add_profile(6, "Edsger", "Goto considered harmful")
    monkeypatch.setenv("REDIS_URL", "unix:///tmp/no-redis-here.sock")
    assert get_profile(6)["display_name"] == "Edsger"
    assert get_profile(7) is None


def test_unknown_field_is_refused(add_profile):
    """Only display_name and bio can change."""
    add_profile(8, "Ken")
    with pytest.raises(ValueError):
        update_profile(8, email="ken@example.com")
