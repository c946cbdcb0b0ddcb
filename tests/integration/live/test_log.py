"""The rooms' update log is written in batches by one thread: appends made at the same time
share a transaction, each returns only once its rows are committed, and a bad row fails
only its own update."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from flask import Flask

from assess.extensions import db
from assess.live.log import LogFailed, LogWriter, _Entry
from assess.models.live import LiveUpdate
from tests.integration.live.conftest import Scene

APPENDS = 40


def _row(interview_id: int, n: int) -> dict[str, object]:
    """One update row of ``interview_id``."""
    return {"interview_id": interview_id, "author": f"t{n}", "author_role": "staff",
            "data": bytes([n % 256]) * 3, "inserted": 1}  # fmt: skip


def _stored(interview_id: int) -> set[str]:
    """The authors of the rows stored for the interview (read afresh)."""
    db.session.expire_all()
    return set(
        db.session.scalars(
            sa.select(LiveUpdate.author).where(LiveUpdate.interview_id == interview_id)
        )
    )


def test_appends_at_once_share_commits_and_each_is_stored_on_return(
    app: Flask, scene: Scene
) -> None:
    """Forty threads append at once: every row is in the database when its append returns,
    in fewer transactions than appends."""
    writer = LogWriter(app)
    seen_on_return: list[bool] = []
    start = threading.Barrier(APPENDS)

    def append(n: int) -> None:
        start.wait()
        writer.append([_row(scene.interview_id, n)])
        with app.app_context():
            count = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(LiveUpdate)
                .where(LiveUpdate.author == f"t{n}")
            )
            seen_on_return.append(count == 1)
            db.session.remove()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(APPENDS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert seen_on_return == [True] * APPENDS
    assert _stored(scene.interview_id) >= {f"t{n}" for n in range(APPENDS)}
    assert 1 <= writer.batches < APPENDS


def test_a_bad_row_fails_only_its_own_update(app: Flask, scene: Scene) -> None:
    """In one batch, a row of an interview that does not exist (deleted meanwhile) fails its
    own entry; the other rooms' rows of the batch are stored and their callers told so."""
    writer = LogWriter(app)
    batch = [_Entry([_row(scene.interview_id, 1)]), _Entry([_row(scene.interview_id + 999, 3)]),
             _Entry([_row(scene.interview_id, 2)])]  # fmt: skip
    writer._write(batch)
    assert [entry.done.is_set() for entry in batch] == [True, True, True]
    assert [entry.error is None for entry in batch] == [True, False, True]
    assert {"t1", "t2"} <= _stored(scene.interview_id)
    assert writer.batches == 0  # the batch failed as a whole and was written row by row
    with pytest.raises(LogFailed, match="could not be stored"):
        writer.append([_row(scene.interview_id + 999, 4)])
    writer.append([_row(scene.interview_id, 5)])
    assert "t5" in _stored(scene.interview_id)


def test_a_snapshot_row_is_stored_as_one(app: Flask, scene: Scene) -> None:
    """Rows appended together land together, snapshot flag and all."""
    writer = LogWriter(app)
    writer.append([_row(scene.interview_id, 7),
                   {**_row(scene.interview_id, 8), "is_snapshot": True}])  # fmt: skip
    db.session.expire_all()
    flags = dict(
        db.session.execute(
            sa.select(LiveUpdate.author, LiveUpdate.is_snapshot).where(
                LiveUpdate.author.in_(["t7", "t8"])
            )
        )
        .tuples()
        .all()
    )
    assert flags == {"t7": False, "t8": True}


@pytest.fixture(autouse=True)
def _foreign_keys_on(app: Flask) -> None:
    """SQLite checks foreign keys only when asked (the app's engine asks; make sure)."""
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
