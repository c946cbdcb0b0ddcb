"""Integrity signals for reviewers: focus lost and regained, pastes with their size, and
time per item. Signals inform a reviewer; they are never a verdict by themselves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from assess.errors import ValidationFailed
from assess.extensions import DbSession
from assess.models import Attempt, IntegrityEvent, utcnow

KINDS = frozenset({"blur", "focus", "paste", "copy"})
MAX_EVENTS_PER_ATTEMPT = 5000
MAX_EVENTS_PER_REPORT = 100
MAX_SECONDS_PER_REPORT = 120
# Time reports may run ahead of the server's clock by this much (a slice in flight).
CLOCK_SLACK_SECONDS = 5


def _item_positions(attempt: Attempt) -> set[int]:
    """The positions of the attempt's items."""
    return {item.position for item in attempt.items}


def _position(value: Any, positions: set[int], *, required: bool) -> int | None:
    """An item position of this attempt (or None when allowed)."""
    if value is None and not required:
        return None
    if type(value) is not int or value not in positions:
        raise ValidationFailed("position must be an item of this attempt", {"position": "unknown"})
    return value


def record_event(
    session: DbSession,
    attempt: Attempt,
    kind: str,
    position: Any,
    size: Any,
    positions: set[int] | None = None,
) -> IntegrityEvent | None:
    """Store one signal about the attempt (or one of its items); silently stop at a cap so a
    script cannot flood the table."""
    if kind not in KINDS:
        raise ValidationFailed(f"unknown event kind {kind!r}", {"kind": "unknown"})
    if size is not None and (type(size) is not int or not 0 <= size <= 10_000_000):
        raise ValidationFailed("size must be a whole number of characters", {"size": "invalid"})
    known = positions if positions is not None else _item_positions(attempt)
    item_position = _position(position, known, required=False)
    count = session.scalar(
        sa.select(sa.func.count())
        .select_from(IntegrityEvent)
        .where(IntegrityEvent.attempt_id == attempt.id)
    )
    if (count or 0) >= MAX_EVENTS_PER_ATTEMPT:
        return None
    event = IntegrityEvent(attempt_id=attempt.id, kind=kind, item_position=item_position, size=size)
    session.add(event)
    return event


def time_budget(attempt: Attempt, now: datetime | None = None) -> int:
    """Seconds that may still be reported: the time items have taken together can never
    exceed the wall time since the attempt started (one page shows one item at a time)."""
    elapsed = ((now or utcnow()) - attempt.started_at).total_seconds()
    spent = sum(item.seconds_spent for item in attempt.items)
    return max(0, int(elapsed) + CLOCK_SLACK_SECONDS - spent)


def add_time(
    attempt: Attempt, position: Any, seconds: Any, budget: int, positions: set[int] | None = None
) -> int:
    """Add time spent on an item (the page reports it in small slices), capped at
    ``budget``; returns the seconds actually added."""
    if type(seconds) is not int or not 0 < seconds <= MAX_SECONDS_PER_REPORT:
        raise ValidationFailed(
            f"seconds must be 1..{MAX_SECONDS_PER_REPORT}", {"seconds": "invalid"}
        )
    known = positions if positions is not None else _item_positions(attempt)
    target = _position(position, known, required=True)
    added = min(seconds, budget)
    for item in attempt.items:
        if item.position == target:
            item.seconds_spent += added
    return added


def record_batch(session: DbSession, attempt: Attempt, events: Any) -> int:
    """A batch from the page: integrity signals and ``time`` slices. The whole batch is
    checked before anything is stored; the time it reports together is at most
    MAX_SECONDS_PER_REPORT and never more than the wall clock allows. Returns the number of
    signals stored."""
    if not isinstance(events, list) or len(events) > MAX_EVENTS_PER_REPORT:
        raise ValidationFailed(
            f"events must be a list of at most {MAX_EVENTS_PER_REPORT}", {"events": "invalid"}
        )
    if not all(isinstance(event, dict) for event in events):
        raise ValidationFailed("each event is an object", {"events": "invalid"})
    reported = [e.get("seconds") for e in events if e.get("kind") == "time"]
    if sum(s for s in reported if type(s) is int) > MAX_SECONDS_PER_REPORT:
        raise ValidationFailed(
            f"one report covers at most {MAX_SECONDS_PER_REPORT} seconds", {"events": "invalid"}
        )
    budget = time_budget(attempt)
    positions = _item_positions(attempt)  # once per batch, not once per event
    recorded = 0
    for event in events:
        position = event.get("position")
        if event.get("kind") == "time":
            budget -= add_time(attempt, position, event.get("seconds"), budget, positions)
        elif record_event(
            session, attempt, str(event.get("kind")), position, event.get("size"), positions
        ):
            recorded += 1
    return recorded


def summary(session: DbSession, attempt: Attempt) -> dict[str, int]:
    """Counts per kind of signal and the largest paste, for the reviewer's page."""
    rows = session.execute(
        sa.select(IntegrityEvent.kind, sa.func.count(), sa.func.max(IntegrityEvent.size))
        .where(IntegrityEvent.attempt_id == attempt.id)
        .group_by(IntegrityEvent.kind)
    ).all()
    result = {kind: int(count) for kind, count, _ in rows}
    result["largest_paste"] = max(
        (int(size or 0) for kind, _, size in rows if kind == "paste"), default=0
    )
    return result


def time_per_item(attempt: Attempt) -> dict[int, int]:
    """Seconds spent per item position."""
    return {item.position: item.seconds_spent for item in attempt.items}
