"""Integrity signals for reviewers: focus lost and regained, pastes with their size, and
time per item. Signals inform a reviewer; they are never a verdict by themselves."""

from __future__ import annotations

import sqlalchemy as sa

from assess.errors import ValidationFailed
from assess.extensions import DbSession
from assess.models import Attempt, IntegrityEvent

KINDS = frozenset({"blur", "focus", "paste", "copy"})
MAX_EVENTS_PER_ATTEMPT = 5000
MAX_SECONDS_PER_REPORT = 120


def record_event(
    session: DbSession, attempt: Attempt, kind: str, position: int | None, size: int | None
) -> IntegrityEvent | None:
    """Store one signal; silently stop at a cap so a script cannot flood the table."""
    if kind not in KINDS:
        raise ValidationFailed(f"unknown event kind {kind!r}", {"kind": "unknown"})
    if size is not None and (type(size) is not int or not 0 <= size <= 10_000_000):
        raise ValidationFailed("size must be a whole number of characters", {"size": "invalid"})
    if position is not None and type(position) is not int:
        raise ValidationFailed("position must be a number", {"position": "invalid"})
    count = session.scalar(
        sa.select(sa.func.count())
        .select_from(IntegrityEvent)
        .where(IntegrityEvent.attempt_id == attempt.id)
    )
    if (count or 0) >= MAX_EVENTS_PER_ATTEMPT:
        return None
    event = IntegrityEvent(attempt_id=attempt.id, kind=kind, item_position=position, size=size)
    session.add(event)
    return event


def add_time(attempt: Attempt, position: int, seconds: int) -> None:
    """Add time spent on an item (the page reports it in small slices)."""
    if type(seconds) is not int or not 0 < seconds <= MAX_SECONDS_PER_REPORT:
        raise ValidationFailed("seconds must be 1..120", {"seconds": "invalid"})
    for item in attempt.items:
        if item.position == position:
            item.seconds_spent += seconds
            return
    raise ValidationFailed("no such item", {"position": "unknown"})


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
