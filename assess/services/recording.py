"""How a coding task's solution was written: the editor's changes, kept with each autosave,
and what the review desk replays from them.

The editor sends, with each draft, the changes typed since the server last confirmed them:
``{"stream": 16 hex digits (one page load), "seq": index of the first change, "base": the
text the stream started from (first batch only), "ops": [[ms since the previous change,
from, to, inserted text], ...]}``. Positions are UTF-16 code units, as in the browser.
A batch is stored next to the draft in the same transaction; one re-sent with more changes
replaces the shorter one (the browser re-sends everything unconfirmed), so nothing is
counted twice. The recording of one task is capped in size; once full, later changes are
dropped and the cap is marked, and the draft itself is always saved.

What playback shows (pastes, long pauses, whether the recording ends in the saved code) is
a signal for a reviewer, never a verdict: a determined client can send any changes it likes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from assess.errors import ValidationFailed
from assess.extensions import DbSession
from assess.models import CodeChange
from assess.services.upsert import write_newer

MAX_RECORDING_BYTES = 2_000_000  # per task and attempt: hours of typing, a few large pastes
MAX_BATCH_OPS = 5_000
MAX_TEXT = 256 * 1024  # the draft's own limit
MAX_GAP_MS = 24 * 3600 * 1000
PASTE_CHARS = 200  # one change inserting this much at once is marked a paste
IDLE_MS = 120_000  # a pause this long between changes is marked
STREAM = re.compile(r"[0-9a-f]{16}")


@dataclass(frozen=True)
class Batch:
    """Changes of one stream, checked."""

    stream: str
    seq: int
    ops: list[list[Any]]
    base: str | None
    size: int


def _whole(value: Any, low: int, high: int) -> bool:
    """A JSON integer within bounds (booleans are not numbers here)."""
    return type(value) is int and low <= value <= high


def parse_changes(raw: Any) -> Batch | None:
    """The ``changes`` of a draft save, or None when there are none; a malformed batch is a
    422 naming the field (the draft is not saved either, so nothing is half-stored)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ValidationFailed("changes must be an object", {"changes": "not an object"})
    stream, ops, base = raw.get("stream"), raw.get("ops"), raw.get("base")
    seq: Any = raw.get("seq")
    if not isinstance(stream, str) or not STREAM.fullmatch(stream):
        raise ValidationFailed(
            "changes.stream must be 16 hexadecimal digits", {"changes.stream": "invalid"}
        )
    if not _whole(seq, 0, 10**9):
        raise ValidationFailed("changes.seq must be a whole number", {"changes.seq": "invalid"})
    if not isinstance(ops, list) or len(ops) > MAX_BATCH_OPS:
        raise ValidationFailed(
            f"changes.ops must be a list of at most {MAX_BATCH_OPS} changes",
            {"changes.ops": "invalid"},
        )
    if base is not None and (not isinstance(base, str) or len(base) > MAX_TEXT or seq != 0):
        raise ValidationFailed(
            "changes.base is the starting text of a stream, sent with its first changes",
            {"changes.base": "invalid"},
        )
    size = len(base or "")
    for index, op in enumerate(ops):
        if not (
            isinstance(op, list)
            and len(op) == 4
            and _whole(op[0], 0, MAX_GAP_MS)
            and _whole(op[1], 0, MAX_TEXT)
            and _whole(op[2], op[1] if type(op[1]) is int else 0, MAX_TEXT)
            and isinstance(op[3], str)
            and len(op[3]) <= MAX_TEXT
        ):
            raise ValidationFailed(
                "each change is [milliseconds, from, to, inserted text]",
                {f"changes.ops[{index}]": "invalid"},
            )
        size += 24 + len(op[3])
    return Batch(stream, seq, ops, base, size)


def record(session: DbSession, attempt_id: int, task_id: int, batch: Batch, now: datetime) -> bool:
    """Keep a batch next to the draft; False when the recording is full (the cap is marked)."""
    used = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(CodeChange.size), 0)).where(
            CodeChange.attempt_id == attempt_id,
            CodeChange.task_id == task_id,
            # a batch sent again replaces its earlier copy: count that copy once
            sa.not_(sa.and_(CodeChange.stream == batch.stream, CodeChange.seq == batch.seq)),
        )
    )
    key = {"attempt_id": attempt_id, "task_id": task_id, "stream": batch.stream, "seq": batch.seq}
    if int(used or 0) + batch.size > MAX_RECORDING_BYTES:
        values: dict[str, Any] = {"op_count": 0, "ops": [], "size": 0, "capped": True}
        write_newer(
            session,
            CodeChange,
            key,
            {**values, "received_at": now},
            newer=lambda new, old: sa.false(),
        )
        return False
    values = {
        "op_count": len(batch.ops),
        "ops": batch.ops,
        "base": batch.base,
        "size": batch.size,
        "capped": False,
        "received_at": now,
    }
    write_newer(
        session, CodeChange, key, values, newer=lambda new, old: new.op_count > old.op_count
    )
    return True


# ----------------------------------------------------------------------------- replaying


@dataclass
class Stream:
    """One page load's changes, merged from its batches in order."""

    stream: str
    started_at: datetime
    base: str | None
    ops: list[list[Any]] = field(default_factory=list)
    complete: bool = True  # False when a batch is missing or a change does not apply
    capped: bool = False
    final: str | None = None  # the text its changes end in (None without its base)


def _apply(text: bytes, op: list[Any]) -> bytes | None:
    """One change applied to UTF-16LE text, or None when its positions do not fit."""
    start, end = int(op[1]) * 2, int(op[2]) * 2
    if end > len(text):
        return None
    inserted: bytes = str(op[3]).encode("utf-16-le", "surrogatepass")
    return text[:start] + inserted + text[end:]


def streams(session: DbSession, attempt_id: int, task_id: int) -> list[Stream]:
    """The recording of one task, stream by stream in the order they began, each change once
    (overlapping re-sent batches merged) and checked: a stream whose changes do not apply
    from its base is marked incomplete from that point."""
    rows = session.scalars(
        sa.select(CodeChange)
        .where(CodeChange.attempt_id == attempt_id, CodeChange.task_id == task_id)
        .order_by(CodeChange.id)
    ).all()
    found: dict[str, Stream] = {}
    grouped: dict[str, list[CodeChange]] = {}
    for row in rows:
        if row.stream not in found:
            found[row.stream] = Stream(row.stream, row.received_at, None)
        grouped.setdefault(row.stream, []).append(row)
    for name, batches in grouped.items():
        current = found[name]
        batches.sort(key=lambda r: r.seq)
        current.base = next((b.base for b in batches if b.seq == 0), None)
        current.complete = current.base is not None
        following = 0
        for batch in batches:
            current.capped = current.capped or batch.capped
            if batch.seq > following and batch.op_count:
                current.complete = False  # a batch never arrived: stop here
                break
            current.ops.extend(batch.ops[following - batch.seq :])
            following = max(following, batch.seq + batch.op_count)
        if current.base is not None:
            text = current.base.encode("utf-16-le", "surrogatepass")
            for index, op in enumerate(current.ops):
                applied = _apply(text, op)
                if applied is None:
                    del current.ops[index:]
                    current.complete = False
                    break
                text = applied
            current.final = text.decode("utf-16-le", "replace")
    return sorted(found.values(), key=lambda s: s.started_at)


@dataclass(frozen=True)
class Signals:
    """What the recording suggests to a reviewer (never a verdict)."""

    recorded: bool
    changes: int
    pastes: int
    largest_insert: int
    idle_gaps: int
    sessions: int
    complete: bool
    capped: bool
    matches: bool | None  # the recording ends in the code compared with; None: nothing to compare


def signals(recording: list[Stream], code: str | None) -> Signals:
    """Pastes, long pauses and whether the recording ends in ``code`` (the submitted code)."""
    ops = [op for s in recording for op in s.ops]
    inserts = [len(op[3]) for op in ops]
    last = recording[-1].final if recording else None
    return Signals(
        recorded=bool(recording),
        changes=len(ops),
        pastes=sum(1 for n in inserts if n >= PASTE_CHARS),
        largest_insert=max(inserts, default=0),
        idle_gaps=sum(1 for op in ops if op[0] >= IDLE_MS),
        sessions=len(recording),
        complete=all(s.complete for s in recording),
        capped=any(s.capped for s in recording),
        matches=None if code is None or last is None else last == code,
    )


def playback_json(recording: list[Stream]) -> list[dict[str, Any]]:
    """The streams as the desk's playback reads them."""
    return [
        {
            "stream": s.stream,
            "started_at": s.started_at.isoformat(),
            "base": s.base or "",
            "ops": s.ops,
            "complete": s.complete,
            "capped": s.capped,
        }
        for s in recording
    ]
