"""A Redis-backed rate limiter and the quote service that applies it."""

from ratelimit.app import create_app
from ratelimit.limiter import Decision, Limiter

__all__ = ["Decision", "Limiter", "create_app"]
