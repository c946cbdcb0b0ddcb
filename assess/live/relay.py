"""Relay a room's frames between processes through Redis pub/sub (when ``REDIS_URL`` is set).

The database log stays the truth: a process that misses a relayed frame still has every
update after a reload, and clients re-synchronise with the server periodically. Each
process publishes under its own id and ignores its own messages.

A message is ``origin|kind|room|data`` in bytes: every process receives every message on the
channel (its own too), so one is recognised as its own by its first bytes, and the others are
split once, with no JSON or base64 to decode. One thread per process applies them all, so it
does as little as it can per message: no application context, no database.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from typing import TYPE_CHECKING

from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from assess.live.rooms import Hub

log = logging.getLogger(__name__)

CHANNEL = "assess:live"
KINDS = frozenset({b"update", b"awareness", b"event", b"end"})


def channel_for(database_uri: str, configured: str | None = None) -> str:
    """The installation's relay channel: the configured one, else one derived from its
    database (the processes of one installation share a database; two installations that
    share a Redis never see each other's rooms, whose ids are only unique per database)."""
    if configured:
        return configured
    shown = make_url(database_uri).render_as_string(hide_password=True)
    return f"{CHANNEL}:{hashlib.sha256(shown.encode()).hexdigest()[:16]}"


class RedisRelay:
    """Publishes this process's room frames and applies other processes' frames."""

    def __init__(self, hub: Hub, url: str, channel: str = CHANNEL) -> None:
        """Connect and start the subscriber thread (``channel``: one per installation)."""
        self.hub = hub
        self.channel = channel
        self.origin = uuid.uuid4().hex
        self.prefix = self.origin.encode() + b"|"
        self.redis = Redis.from_url(url)
        self.stopping = threading.Event()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._listen, daemon=True, name="live-relay")
        self.thread.start()
        self.ready.wait(5)

    def publish(self, room_id: int, kind: str, data: bytes) -> None:
        """Send one frame to the other processes; a Redis outage only delays them (clients
        re-synchronise through the database-backed room)."""
        message = b"|".join((self.origin.encode(), kind.encode(), str(room_id).encode(), data))
        try:
            self.redis.publish(self.channel, message)
        except RedisError as exc:
            log.warning("live relay: publish failed: %s", type(exc).__name__)

    def _listen(self) -> None:
        """Apply frames from other processes to the rooms this process has open."""
        while not self.stopping.is_set():
            try:
                pubsub = self.redis.pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]
                pubsub.subscribe(self.channel)
                self.ready.set()
                while not self.stopping.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message is not None:
                        self._apply(message["data"])
            except RedisError as exc:
                log.warning("live relay: subscription lost: %s", type(exc).__name__)
                self.ready.set()
                time.sleep(1.0)

    def _apply(self, raw: bytes) -> None:
        """Apply one relayed message, ignoring our own and anything malformed."""
        if not isinstance(raw, bytes) or raw.startswith(self.prefix):
            return
        parts = raw.split(b"|", 3)
        if len(parts) != 4 or parts[1] not in KINDS or not parts[2].isdigit():
            return
        room = self.hub.open_room(int(parts[2]))
        if room is not None:
            room.apply_remote(parts[1].decode(), parts[3])

    def stop(self) -> None:
        """Stop listening."""
        self.stopping.set()
