"""Connections to the service's dependencies, each with a short timeout."""

import psycopg
import redis
from flask import current_app

TIMEOUT_SECONDS = 2


def postgres():
    """A new PostgreSQL connection (the caller closes it, e.g. ``with postgres() as conn``)."""
    return psycopg.connect(
        current_app.config["POSTGRES_DSN"], connect_timeout=TIMEOUT_SECONDS, autocommit=True
    )


def redis_client():
    """A Redis client; it connects on its first command."""
    return redis.Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=TIMEOUT_SECONDS)
