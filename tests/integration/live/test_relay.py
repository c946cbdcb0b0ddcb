"""The relay between processes, on a real Redis: a frame published by one process reaches
the same room in another, a process skips its own frames, and malformed messages or rooms
not open here are dropped without harm."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

from redis import Redis

from assess.live.relay import RedisRelay
from tests.conftest import require
from tests.integration.grading.test_rq_workers import REDIS_URL, redis_problem


class FakeRoom:
    """Records what the relay applies to it."""

    def __init__(self) -> None:
        """Nothing applied yet."""
        self.applied: list[tuple[str, bytes]] = []
        self.arrived = threading.Event()

    def apply_remote(self, kind: str, data: bytes) -> None:
        """Keep the frame."""
        self.applied.append((kind, data))
        self.arrived.set()


class FakeHub:
    """The rooms a process has open."""

    def __init__(self, rooms: dict[int, FakeRoom]) -> None:
        """These rooms, by id."""
        self.rooms = rooms

    def open_room(self, room_id: int) -> FakeRoom | None:
        """The room if open here."""
        return self.rooms.get(room_id)


def test_frames_cross_processes_and_nothing_else_does() -> None:
    """Binary data with the separator in it arrives intact; own frames, unknown kinds,
    garbage and rooms not open here change nothing."""
    require(redis_problem(), "Redis")
    channel = f"assess:live:test:{uuid.uuid4().hex}"
    here, there = FakeRoom(), FakeRoom()
    sender: Any = RedisRelay(FakeHub({7: here}), REDIS_URL, channel)  # type: ignore[arg-type]
    receiver: Any = RedisRelay(FakeHub({7: there}), REDIS_URL, channel)  # type: ignore[arg-type]
    try:
        raw = Redis.from_url(REDIS_URL)
        for junk in (b"", b"no separators", b"x|update|7", b"x|delete|7|data", b"x|update|seven|d"):
            raw.publish(channel, junk)
        sender.publish(8, "update", b"for a room not open there")
        payload = b"\x00|binary|\xff update"
        sender.publish(7, "update", payload)
        assert there.arrived.wait(5), "the frame never arrived"
        time.sleep(0.3)  # anything else would have arrived by now
        assert there.applied == [("update", payload)]
        assert here.applied == []  # its own frame is skipped
    finally:
        sender.stop()
        receiver.stop()
