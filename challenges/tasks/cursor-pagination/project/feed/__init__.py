"""The event feed service."""

from feed.app import create_app
from feed.db import init_db

__all__ = ["create_app", "init_db"]
