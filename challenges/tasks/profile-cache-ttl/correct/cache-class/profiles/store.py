"""Profiles with a small cache object in front of PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from psycopg import sql

from profiles.cache import redis_client
from profiles.db import connect

COLUMNS = ("id", "display_name", "bio", "updated_at")
EDITABLE = {"display_name", "bio"}


class ProfileCache:
    """Cached copies of profiles; every failure of Redis reads as 'not cached'."""

    lifetime = timedelta(seconds=300)

    @staticmethod
    def key(profile_id: int) -> str:
        """Where one profile lives in Redis."""
        return "profile:" + str(profile_id)

    def load(self, profile_id: int) -> dict[str, Any] | None:
        """The cached copy, or None when there is none or Redis fails."""
        try:
            raw = redis_client().get(self.key(profile_id))
        except Exception:  # noqa: BLE001 - the database answers instead
            return None
        return None if raw is None else json.loads(raw.decode("utf-8"))

    def save(self, profile: dict[str, Any]) -> None:
        """Store a copy that expires on its own (value and TTL in one SET)."""
        try:
            redis_client().set(self.key(profile["id"]), json.dumps(profile), ex=self.lifetime)
        except Exception:  # noqa: BLE001, S110 - caching is best effort
            pass

    def drop(self, profile_id: int) -> None:
        """Forget a copy; a Redis failure here is ignored too."""
        try:
            redis_client().delete(self.key(profile_id))
        except Exception:  # noqa: BLE001, S110 - best effort
            pass


CACHE = ProfileCache()


def get_profile(profile_id: int) -> dict[str, Any] | None:
    """The profile ``profile_id``, or None."""
    cached = CACHE.load(profile_id)
    if cached is not None:
        return cached
    with connect() as conn:
        row = conn.execute(
            "SELECT id, display_name, bio, updated_at FROM profiles WHERE id = %s",
            (profile_id,),
        ).fetchone()
    if row is None:
        return None
    profile = dict(zip(COLUMNS, row))
    profile["updated_at"] = profile["updated_at"].isoformat()
    CACHE.save(profile)
    return profile


def update_profile(profile_id: int, **fields: str) -> bool:
    """Update the row, then drop the cached copy."""
    if not set(fields) <= EDITABLE:
        raise ValueError(f"unknown profile fields: {sorted(set(fields) - EDITABLE)}")
    sets = sql.SQL(", ").join(
        [sql.SQL("{} = %s").format(sql.Identifier(n)) for n in fields]
        + [sql.SQL("updated_at = now()")]
    )
    with connect() as conn:
        found = conn.execute(
            sql.SQL("UPDATE profiles SET {} WHERE id = %s").format(sets),
            [*fields.values(), profile_id],
        ).rowcount
    CACHE.drop(profile_id)
    return found == 1
