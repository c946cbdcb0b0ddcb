"""Rooms in this process: one pycrdt document per live interview, the connections in it, and
their presence. Every update is appended to the database before anyone else sees it; with
Redis the room's traffic is relayed to the same room in other processes."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from flask import Flask
from pycrdt import Doc, Text

from assess.extensions import db
from assess.live import protocol
from assess.live.log import LogFailed, LogWriter
from assess.models.live import LiveUpdate

log = logging.getLogger(__name__)

TEXTS = ("main", "tests")
SNAPSHOT_EVERY = 200  # updates between snapshots
SNAPSHOT_OVERLAP = timedelta(seconds=60)  # updates committed around a snapshot are re-applied
MAX_ROOM_BYTES = 16 * 1024 * 1024  # update bytes a room may store in all
MAX_TEXT_CHARS = 200_000  # characters of the main file and the tests together


class Socket(Protocol):
    """What the room needs of a WebSocket."""

    def send(self, data: bytes) -> None:
        """Send one binary frame."""

    def close(self, reason: int | None = None, message: str | None = None) -> None:
        """Close with a code and a reason."""


class RateLimited(Exception):
    """A connection sent more than its share."""


@dataclass
class Bucket:
    """A token bucket: ``rate`` frames a second, bursts up to ``burst``."""

    rate: float
    burst: float
    tokens: float = 0.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        """Start full."""
        self.tokens = self.burst

    def take(self) -> None:
        """Spend one token or raise RateLimited."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            raise RateLimited
        self.tokens -= 1


@dataclass(eq=False)
class Connection:
    """One participant's socket in a room."""

    socket: Socket
    identity: dict[str, str]
    role: str  # "staff" | "candidate"
    bucket: Bucket
    own_ids: set[int] = field(default_factory=set)
    send_lock: threading.Lock = field(default_factory=threading.Lock)
    closed: bool = False

    def send(self, frame: bytes) -> None:
        """Send a frame; a broken peer is marked closed, never an error for the sender."""
        if self.closed:
            return
        try:
            with self.send_lock:
                self.socket.send(frame)
        except Exception:  # noqa: BLE001 - the peer went away; its own thread cleans up
            self.closed = True

    def close(self, code: int, reason: str) -> None:
        """Close with a reason the client can read."""
        self.closed = True
        with self.send_lock:
            hang_up(self.socket, code, reason)


def hang_up(ws: Any, code: int, reason: str) -> None:
    """Send a close frame with ``code`` and ``reason``, then end our side of the TCP stream
    so the client learns at once that the server is done (some WSGI servers keep an
    upgraded connection open after the handler returns)."""
    with contextlib.suppress(Exception):  # already closed by the peer
        ws.close(reason=code, message=reason)
    raw = getattr(ws, "sock", None)
    if isinstance(raw, socket.socket):
        with contextlib.suppress(OSError):
            raw.shutdown(socket.SHUT_WR)


class Relay(Protocol):
    """Carries a room's frames to the same room in other processes."""

    def publish(self, room_id: int, kind: str, data: bytes) -> None:
        """Send ``data`` of ``kind`` ("update", "awareness", "event") to other processes."""


class Room:
    """One interview's document and the connections to it in this process."""

    def __init__(self, room_id: int, log: LogWriter | None = None) -> None:
        """An empty room whose updates ``log`` stores (None: a room only rebuilt from the
        log, which takes no update); :meth:`load` fills it from the log."""
        self.id = room_id
        self.log = log
        self.doc: Doc[Text] = Doc()
        for name in TEXTS:
            self.doc[name] = Text()
        self.lock = threading.RLock()
        self.connections: set[Connection] = set()
        self.presence: dict[int, protocol.PresenceEntry] = {}
        self.owners: dict[int, Connection] = {}
        self.since_snapshot = 0
        self.stored_bytes = 0
        self.frozen = False

    def text(self, name: str) -> str:
        """The current text of one file."""
        return str(self.doc[name])

    def files(self) -> dict[str, str]:
        """Every file of the pad."""
        return {name: self.text(name) for name in TEXTS}

    def load(self) -> None:
        """Apply the latest snapshot and every update from shortly before it on (updates
        are idempotent, so the overlap only guards against commits that raced it)."""
        snapshot = db.session.scalar(
            sa.select(LiveUpdate)
            .where(LiveUpdate.interview_id == self.id, LiveUpdate.is_snapshot.is_(True))
            .order_by(LiveUpdate.id.desc())
            .limit(1)
        )
        query = sa.select(LiveUpdate.data, LiveUpdate.is_snapshot).where(
            LiveUpdate.interview_id == self.id
        )
        if snapshot is not None:
            self.doc.apply_update(snapshot.data)
            query = query.where(
                LiveUpdate.is_snapshot.is_(False),
                sa.or_(
                    LiveUpdate.id > snapshot.id,
                    LiveUpdate.created_at >= snapshot.created_at - SNAPSHOT_OVERLAP,
                ),
            )
        count = 0
        for data, _ in db.session.execute(query.order_by(LiveUpdate.id)):
            self.doc.apply_update(data)
            count += 1
        self.since_snapshot = count
        self.stored_bytes = (
            db.session.scalar(
                sa.select(sa.func.coalesce(sa.func.sum(sa.func.length(LiveUpdate.data)), 0)).where(
                    LiveUpdate.interview_id == self.id, LiveUpdate.is_snapshot.is_(False)
                )
            )
            or 0
        )

    # -- frames from a local participant -------------------------------------------------

    def join(self, conn: Connection) -> None:
        """Add a participant: ask for what it has that the room lacks, and show who is here."""
        with self.lock:
            self.connections.add(conn)
            conn.send(protocol.step1(self.doc.get_state()))
            if self.presence:
                conn.send(
                    protocol.awareness(protocol.encode_presence(list(self.presence.values())))
                )

    def leave(self, conn: Connection, relay: Relay | None) -> None:
        """Remove a participant and tell the others its presence is gone."""
        with self.lock:
            self.connections.discard(conn)
            gone = [
                protocol.PresenceEntry(cid, self.presence[cid].clock + 1, None)
                for cid in conn.own_ids
                if cid in self.presence and self.owners.get(cid) is conn
            ]
            for entry in gone:
                self.presence.pop(entry.client_id, None)
                self.owners.pop(entry.client_id, None)
        if gone:
            data = protocol.encode_presence(gone)
            self.broadcast(protocol.awareness(data))
            if relay is not None:
                relay.publish(self.id, "awareness", data)

    def handle(self, conn: Connection, frame: bytes, relay: Relay | None) -> None:
        """Act on one frame from ``conn``; ProtocolError or RateLimited close only it."""
        conn.bucket.take()
        parsed = protocol.parse(frame)
        if parsed.kind == "step1":
            with self.lock:
                reply = self.doc.get_update(parsed.payload)
            conn.send(protocol.step2(reply))
        elif parsed.kind == "update":
            if self.frozen:
                raise protocol.ProtocolError("the interview has ended: the pad is read-only")
            self.apply_local(conn, parsed.payload, relay)
        else:
            entries = protocol.rewrite_presence(parsed.payload, conn.own_ids, conn.identity)
            if not entries:
                return
            with self.lock:
                for entry in entries:
                    if entry.state is None:
                        self.presence.pop(entry.client_id, None)
                        self.owners.pop(entry.client_id, None)
                    else:
                        self.presence[entry.client_id] = entry
                        self.owners[entry.client_id] = conn
            data = protocol.encode_presence(entries)
            self.broadcast(protocol.awareness(data))  # the sender too: it keeps the link alive
            if relay is not None:
                relay.publish(self.id, "awareness", data)

    def apply_local(self, conn: Connection, data: bytes, relay: Relay | None) -> None:
        """Apply a participant's update, append it to the log, then pass it on. The room's
        lock covers the document only: the row is stored outside it (with other rooms' rows in
        one transaction, see :mod:`assess.live.log`), so a slow database never holds up the
        room's other connections or the relay; updates commute, and each is passed on only
        once it is stored."""
        if self.log is None:
            raise protocol.ProtocolError("this copy of the pad is read-only")
        if self.stored_bytes + len(data) > MAX_ROOM_BYTES:
            raise protocol.ProtocolError("the pad has reached its size limit")
        with self.lock:
            before_state = self.doc.get_state()
            before = sum(len(self.text(name)) for name in TEXTS)
            try:
                self.doc.apply_update(data)
            except Exception as exc:
                raise protocol.ProtocolError(f"malformed update: {type(exc).__name__}") from exc
            if self.doc.get_state() == before_state:
                return  # nothing new (a duplicate, or an update the room already had)
            after = sum(len(self.text(name)) for name in TEXTS)
            if after > MAX_TEXT_CHARS:
                raise protocol.ProtocolError("the pad is too large")
            self.stored_bytes += len(data)
            self.since_snapshot += 1
            snapshot = None
            if self.since_snapshot >= SNAPSHOT_EVERY:
                snapshot, self.since_snapshot = self.doc.get_update(), 0
        rows: list[dict[str, Any]] = [
            {
                "interview_id": self.id,
                "author": conn.identity.get("name", "")[:120],
                "author_role": conn.role,
                "data": data,
                "inserted": max(0, after - before),
            }
        ]
        if snapshot is not None:  # the whole document: loading starts from the latest one
            rows.append({"interview_id": self.id, "author": "", "author_role": "system",
                         "data": snapshot, "is_snapshot": True})  # fmt: skip
        try:
            self.log.append(rows)
        except LogFailed as exc:
            raise protocol.ProtocolError(f"{exc}: reconnect to continue") from exc
        frame = protocol.update(data)
        self.broadcast(frame, exclude=conn)
        if relay is not None:
            relay.publish(self.id, "update", data)

    # -- frames from other processes -----------------------------------------------------

    def apply_remote(self, kind: str, data: bytes) -> None:
        """Apply what another process relayed and pass it to local participants."""
        if kind == "update":
            with self.lock:
                try:
                    self.doc.apply_update(data)
                except Exception:  # noqa: BLE001 - the sending process already checked it
                    log.warning("live room %s: a relayed update did not apply", self.id)
                    return
            self.broadcast(protocol.update(data))
        elif kind == "awareness":
            self.broadcast(protocol.awareness(data))
        elif kind == "event":
            self.broadcast(data)
        elif kind == "end":
            self.end(data.decode("utf-8", "replace"))

    def end(self, reason: str) -> None:
        """Freeze the document and close every local connection with ``reason``."""
        with self.lock:
            self.frozen = True
            connections = list(self.connections)
        for conn in connections:
            conn.close(4410, reason)

    def broadcast(self, frame: bytes, exclude: Connection | None = None) -> None:
        """Send ``frame`` to every local participant except ``exclude``."""
        with self.lock:
            targets = [c for c in self.connections if c is not exclude]
        for conn in targets:
            conn.send(frame)


class Hub:
    """Every room this process has open, and the relay to other processes."""

    def __init__(self, app: Flask) -> None:
        """No rooms yet; the relay starts on first use when Redis is configured."""
        self.app = app
        self.rooms: dict[int, Room] = {}
        self.log = LogWriter(app)
        self.lock = threading.Lock()
        self.relay: Any = None
        self._relay_factory: Callable[[Hub], Any] | None = None

    def set_relay_factory(self, factory: Callable[[Hub], Any]) -> None:
        """How to build the relay (Redis pub/sub) when the first room opens."""
        self._relay_factory = factory

    def room(self, room_id: int) -> Room:
        """The open room, loaded from the log on first use."""
        with self.lock:
            if self.relay is None and self._relay_factory is not None:
                self.relay = self._relay_factory(self)
            room = self.rooms.get(room_id)
            if room is None:
                room = Room(room_id, self.log)
                self.rooms[room_id] = room  # relayed frames arriving during load still apply
                with room.lock:
                    room.load()
            return room

    def open_room(self, room_id: int) -> Room | None:
        """The room if this process has it open (relayed frames for others are dropped)."""
        return self.rooms.get(room_id)

    def close_if_empty(self, room_id: int) -> None:
        """Forget a room nobody here is in (the log keeps everything)."""
        with self.lock:
            room = self.rooms.get(room_id)
            if room is not None and not room.connections:
                del self.rooms[room_id]

    def event(self, room_id: int, event: dict[str, Any]) -> None:
        """Send a room event (a run's progress, the end) to everyone in the room, here and
        in other processes."""
        frame = protocol.room_event(event)
        room = self.open_room(room_id)
        if room is not None:
            room.broadcast(frame)
        if self.relay is not None:
            self.relay.publish(room_id, "event", frame)

    def end(self, room_id: int, reason: str) -> None:
        """Freeze a room that has ended and close its connections, here and elsewhere."""
        room = self.open_room(room_id)
        if room is not None:
            room.end(reason)
        if self.relay is not None:
            self.relay.publish(room_id, "end", reason.encode("utf-8"))
