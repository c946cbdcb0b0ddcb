"""The rooms' update log, written in batches: one transaction for everything that arrived
while the previous one committed (group commit), by one writer thread per process.

A participant's update is passed on only after its row is committed, so nothing anyone saw
can be missing from the log; batching only shares the commits. Under load a batch holds the
updates of many rooms, which turns hundreds of commits a second into a few dozen. A batch
that fails is written again row by row, so one bad row (an interview deleted meanwhile)
fails only its own update, never another room's.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import Flask

from assess.extensions import db
from assess.models import utcnow
from assess.models.live import LiveUpdate

log = logging.getLogger(__name__)

MAX_BATCH = 500  # rows in one transaction
WAIT_SECONDS = 30.0  # a writer that does not answer in this time fails the update


class LogFailed(Exception):
    """An update could not be stored (it was not passed on)."""


@dataclass(eq=False)
class _Entry:
    """Rows to store together, and their caller waiting for the outcome."""

    rows: list[dict[str, Any]]
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class LogWriter:
    """Appends rows to ``live_update`` for every room of this process."""

    def __init__(self, app: Flask) -> None:
        """Nothing queued; the thread starts with the first append."""
        self.app = app
        self.pending: list[_Entry] = []
        self.ready = threading.Condition()
        self.thread: threading.Thread | None = None
        self.batches = 0  # transactions committed (for tests and the benchmark)

    def append(self, rows: list[dict[str, Any]]) -> None:
        """Store ``rows`` (column values of ``LiveUpdate``) in one transaction with whatever
        else is waiting; return once committed, or raise LogFailed."""
        now = utcnow()
        entry = _Entry([{"created_at": now, "is_snapshot": False, **row} for row in rows])
        with self.ready:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, daemon=True, name="live-log")
                self.thread.start()
            self.pending.append(entry)
            self.ready.notify()
        if not entry.done.wait(WAIT_SECONDS):
            raise LogFailed("the update log did not answer in time")
        if entry.error is not None:
            raise LogFailed(f"the update could not be stored: {type(entry.error).__name__}")

    def _run(self) -> None:
        """The writer thread: take what is waiting, commit it, wake its callers."""
        with self.app.app_context():
            while True:
                with self.ready:
                    while not self.pending:
                        self.ready.wait()
                    batch, self.pending = self.pending[:MAX_BATCH], self.pending[MAX_BATCH:]
                self._write(batch)

    def _write(self, batch: list[_Entry]) -> None:
        """Commit a batch in one transaction, else each entry alone; never raise."""
        try:
            self._insert([row for entry in batch for row in entry.rows])
            self.batches += 1
        except Exception:  # noqa: BLE001 - isolate the bad entry below
            db.session.rollback()
            for entry in batch:
                try:
                    self._insert(entry.rows)
                except Exception as exc:  # noqa: BLE001 - reported to its own caller
                    db.session.rollback()
                    log.warning("live log: an update was not stored: %s", type(exc).__name__)
                    entry.error = exc
        finally:
            db.session.remove()
            for entry in batch:
                entry.done.set()

    def _insert(self, rows: list[dict[str, Any]]) -> None:
        """One INSERT of many rows and its commit."""
        db.session.execute(sa.insert(LiveUpdate), rows)
        db.session.commit()
