"""Sections with a break between them, when a blueprint allows one (off by default).

An attempt with ``break_minutes > 0`` has two sections: the quiz, then the coding tasks.
The candidate ends the quiz section when ready; from then on its answers are final, and a
break begins with the clock stopped. The break ends when the candidate starts the coding
section, or by itself once it has lasted ``break_minutes``; the deadline then moves by the
time the break took (never more than its limit). Items of the other section cannot be
changed, so a break can never be used to rework answers or to read the tasks early.

Every decision is taken at ``now`` from the stored times alone, so a break that overran is
settled the same way whichever request or sweeper sees it first.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

import sqlalchemy as sa

from assess.errors import AttemptClosed, Conflict
from assess.extensions import DbSession
from assess.models import Attempt, AttemptState, utcnow

QUIZ = "quiz"
BREAK = "break"
CODING = "coding"
MAX_BREAK_MINUTES = 60


class WrongSection(Conflict):
    """Work on an item of a section that is not the current one."""

    code = "wrong_section"


class Clock(Protocol):
    """What the clock's rules read of an attempt: the row itself, or the columns a save
    reads with its item (``attempts.SaveAttempt``)."""

    @property
    def state(self) -> AttemptState:
        """Started, finished or expired."""

    @property
    def deadline_at(self) -> datetime:
        """The deadline before any running break moves it."""

    @property
    def break_minutes(self) -> int:
        """The longest break between the sections (0: no sections)."""

    @property
    def break_started_at(self) -> datetime | None:
        """When the quiz section ended and the break began."""

    @property
    def break_ended_at(self) -> datetime | None:
        """When the break ended and the coding section began."""


def section(attempt: Clock, now: datetime | None = None) -> str | None:
    """The current section (quiz, break or coding), or None for an attempt without sections.
    A break past its limit counts as over (the coding section runs)."""
    if not attempt.break_minutes:
        return None
    if attempt.break_started_at is None:
        return QUIZ
    if attempt.break_ended_at is not None or _overran(attempt, now or utcnow()):
        return CODING
    return BREAK


def _limit(attempt: Clock) -> timedelta:
    """The longest the attempt's break may stop the clock."""
    return timedelta(minutes=attempt.break_minutes)


def _overran(attempt: Clock, now: datetime) -> bool:
    """Whether a break still open at ``now`` has used up its limit."""
    started = attempt.break_started_at
    open_break = started is not None and attempt.break_ended_at is None
    return open_break and now - started >= _limit(attempt)  # type: ignore[operator]


def deadline(attempt: Clock, now: datetime | None = None) -> datetime:
    """The deadline as the clock stands at ``now``: during a break it moves with the time
    (the clock is stopped), up to the break's limit."""
    started = attempt.break_started_at
    if started is None or attempt.break_ended_at is not None:
        return attempt.deadline_at
    return attempt.deadline_at + min((now or utcnow()) - started, _limit(attempt))


def break_ends_at(attempt: Clock) -> datetime | None:
    """When the current break ends by itself; None when no break is running."""
    if attempt.break_started_at is None or attempt.break_ended_at is not None:
        return None
    return attempt.break_started_at + _limit(attempt)


def settle(session: DbSession, attempt: Attempt, now: datetime | None = None) -> bool:
    """End a break that has used up its limit (the clock runs again); True when it did."""
    now = now or utcnow()
    if not _overran(attempt, now):
        return False
    assert attempt.break_started_at is not None
    return _end_break(session, attempt, attempt.break_started_at + _limit(attempt))


def _end_break(session: DbSession, attempt: Attempt, ended: datetime) -> bool:
    """Close the break at ``ended`` and move the deadline by its length, once: a second
    device ending it at the same moment changes nothing more."""
    assert attempt.break_started_at is not None
    moved = attempt.deadline_at + (ended - attempt.break_started_at)
    done = session.execute(
        sa.update(Attempt)
        .where(
            Attempt.id == attempt.id,
            Attempt.break_ended_at.is_(None),
            Attempt.deadline_at == attempt.deadline_at,
        )
        .values(break_ended_at=ended, deadline_at=moved)
        .execution_options(synchronize_session=False)
    )
    session.refresh(attempt, ["break_ended_at", "deadline_at"])
    return bool(done.rowcount)  # type: ignore[attr-defined]


def take_break(session: DbSession, attempt: Attempt, now: datetime | None = None) -> None:
    """End the quiz section and start the break (its answers are final from now on)."""
    now = now or utcnow()
    _require_started(attempt, now)
    if section(attempt, now) != QUIZ:
        raise WrongSection("the quiz section has already ended")
    done = session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.break_started_at.is_(None))
        .values(break_started_at=now)
        .execution_options(synchronize_session=False)
    )
    session.refresh(attempt, ["break_started_at"])
    if not done.rowcount:  # type: ignore[attr-defined]
        raise WrongSection("the quiz section has already ended")


def resume(session: DbSession, attempt: Attempt, now: datetime | None = None) -> None:
    """End the break now and start the coding section (a break already over: nothing)."""
    now = now or utcnow()
    _require_started(attempt, now)
    current = section(attempt, now)
    if current is None:
        raise WrongSection("this assessment has no break")
    if current == QUIZ:
        raise WrongSection("finish the quiz section first")
    if current == CODING:
        settle(session, attempt, now)
        return
    _end_break(session, attempt, now)


def _require_started(attempt: Clock, now: datetime) -> None:
    """Refuse a change of section once the attempt is over."""
    if attempt.state is not AttemptState.STARTED or now > deadline(attempt, now):
        raise AttemptClosed("this assessment is already finished")


def require(attempt: Clock, kind: str, now: datetime | None = None) -> None:
    """Refuse work on a question (``kind`` "question") outside the quiz section, or on a
    task outside the coding section; attempts without sections take both."""
    current = section(attempt, now)
    if current is None:
        return
    if kind == "question" and current != QUIZ:
        raise WrongSection("the quiz section has ended: its answers are final")
    if kind == "task" and current != CODING:
        raise WrongSection("the coding tasks open after the quiz section and its break")
