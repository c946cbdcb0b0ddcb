"""User profiles: PostgreSQL holds them, Redis may keep a cached copy."""

from profiles.cache import redis_client
from profiles.db import connect, init_db
from profiles.store import get_profile, update_profile

__all__ = ["connect", "get_profile", "init_db", "redis_client", "update_profile"]
