"""The Yjs wire protocol as the room needs it, over pycrdt's own encoders: classify a frame,
answer a sync step, and rewrite presence so that a participant can only speak for itself.

Frames (y-protocols): a var-uint message type (0 sync, 1 awareness), then for sync a
var-uint sync type (0 step 1, 1 step 2, 2 update) and a var-uint8array. Type 100 is this
application's own room event (JSON), sent by the server only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pycrdt import (
    Decoder,
    Encoder,
    YMessageType,
    YSyncMessageType,
    create_awareness_message,
    create_update_message,
)

ROOM_EVENT = 100
MAX_CURSOR_JSON = 2048


class ProtocolError(ValueError):
    """A frame that is not a well-formed Yjs message."""


@dataclass(frozen=True)
class Frame:
    """What a client's binary frame asks for."""

    kind: str  # "step1" | "update" | "awareness"
    payload: bytes


def parse(frame: bytes) -> Frame:
    """Classify a client frame; anything else (including a room event) is a ProtocolError."""
    if not frame:
        raise ProtocolError("empty frame")
    try:
        if frame[0] == YMessageType.SYNC:
            if len(frame) < 2:
                raise ProtocolError("truncated sync message")
            sync_type = frame[1]
            payload = Decoder(frame[2:]).read_message() or b""
            if sync_type == YSyncMessageType.SYNC_STEP1:
                return Frame("step1", payload)
            if sync_type in (YSyncMessageType.SYNC_STEP2, YSyncMessageType.SYNC_UPDATE):
                return Frame("update", payload)
            raise ProtocolError(f"unknown sync message type {sync_type}")
        if frame[0] == YMessageType.AWARENESS:
            return Frame("awareness", Decoder(frame[1:]).read_message() or b"")
    except ProtocolError:
        raise
    except Exception as exc:
        raise ProtocolError(f"undecodable message: {type(exc).__name__}") from exc
    raise ProtocolError(f"unknown message type {frame[0]}")


def step1(state_vector: bytes) -> bytes:
    """A sync step 1 frame carrying ``state_vector`` (what the sender already has)."""
    encoder = Encoder()
    encoder.write_var_uint(YMessageType.SYNC)
    encoder.write_var_uint(YSyncMessageType.SYNC_STEP1)
    return encoder.to_bytes() + _var_bytes(state_vector)


def step2(update: bytes) -> bytes:
    """A sync step 2 frame carrying ``update`` (what the receiver lacks)."""
    encoder = Encoder()
    encoder.write_var_uint(YMessageType.SYNC)
    encoder.write_var_uint(YSyncMessageType.SYNC_STEP2)
    return encoder.to_bytes() + _var_bytes(update)


def update(data: bytes) -> bytes:
    """A sync update frame."""
    return create_update_message(data)


def awareness(data: bytes) -> bytes:
    """An awareness frame."""
    return create_awareness_message(data)


def room_event(event: dict[str, Any]) -> bytes:
    """A server-sent room event frame (type 100, JSON text)."""
    encoder = Encoder()
    encoder.write_var_uint(ROOM_EVENT)
    encoder.write_var_string(json.dumps(event, separators=(",", ":")))
    return encoder.to_bytes()


def _var_bytes(data: bytes) -> bytes:
    """``data`` prefixed with its var-uint length."""
    encoder = Encoder()
    encoder.write_var_uint(len(data))
    return encoder.to_bytes() + data


@dataclass(frozen=True)
class PresenceEntry:
    """One client's presence after the server rewrote it."""

    client_id: int
    clock: int
    state: dict[str, Any] | None


def rewrite_presence(
    data: bytes, own_ids: set[int], identity: dict[str, str], max_clients: int = 4
) -> list[PresenceEntry]:
    """Decode an awareness update and keep only what the sender may say about itself.

    A connection speaks for at most ``max_clients`` Yjs client ids (a reload gets a new
    one); the first ids it uses become its own and entries for anyone else's id are
    dropped. Each kept state is rebuilt from ``identity`` (name, colour and role come from
    the server, never from the client) plus the editor's cursor, so a client can neither
    impersonate someone nor carry other data to the room.
    """
    try:
        decoder = Decoder(data)
        count = decoder.read_var_uint()
        if count > 64:
            raise ProtocolError("too many presence entries")
        entries: list[PresenceEntry] = []
        for _ in range(count):
            client_id = decoder.read_var_uint()
            clock = decoder.read_var_uint()
            text = decoder.read_var_string()
            if client_id not in own_ids:
                if len(own_ids) >= max_clients:
                    continue
                own_ids.add(client_id)
            raw = json.loads(text) if text and text != "null" else None
            entries.append(PresenceEntry(client_id, clock, _clean_state(raw, identity)))
    except ProtocolError:
        raise
    except Exception as exc:
        raise ProtocolError(f"undecodable presence: {type(exc).__name__}") from exc
    return entries


def _clean_state(raw: Any, identity: dict[str, str]) -> dict[str, Any] | None:
    """The state a client may publish: the server's identity and its cursor, nothing else."""
    if raw is None:
        return None
    state: dict[str, Any] = {"user": dict(identity)}
    if isinstance(raw, dict):
        cursor = raw.get("cursor")
        if isinstance(cursor, dict) and len(json.dumps(cursor)) <= MAX_CURSOR_JSON:
            state["cursor"] = {k: cursor[k] for k in ("anchor", "head") if k in cursor}
        tab = raw.get("tab")
        if tab in ("main", "tests"):
            state["tab"] = tab
    return state


def encode_presence(entries: list[PresenceEntry]) -> bytes:
    """Encode presence entries as an awareness update."""
    encoder = Encoder()
    encoder.write_var_uint(len(entries))
    for entry in entries:
        encoder.write_var_uint(entry.client_id)
        encoder.write_var_uint(entry.clock)
        encoder.write_var_string(json.dumps(entry.state, separators=(",", ":")))
    return encoder.to_bytes()
