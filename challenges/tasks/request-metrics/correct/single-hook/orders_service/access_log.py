"""The access logger and the request-id rule."""

from __future__ import annotations

import logging
import uuid

log = logging.getLogger("orders_service.access")


def acceptable(value: str) -> bool:
    """1..64 characters, each an ASCII letter, digit or dash."""
    return 1 <= len(value) <= 64 and all(
        ch == "-" or (ch.isascii() and ch.isalnum()) for ch in value
    )


def pick_id(value: str | None) -> str:
    """The incoming id when acceptable, else a new uuid4 hex."""
    return value if value is not None and acceptable(value) else uuid.uuid4().hex


def init_app(app) -> None:
    """Let INFO records through."""
    log.setLevel(logging.INFO)
