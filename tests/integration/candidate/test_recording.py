"""The editor's recording of a coding task: kept with each draft, never duplicated by
retries, bounded, refused with a reason when malformed, and replayed on the review desk."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import Attempt, CodeChange, CodeDraft, Role
from assess.services import attempts, recording, review
from tests.conftest import Auth, Factory
from tests.integration.candidate.test_input_robustness import csrf_header, positions

STREAM = "0123456789abcdef"


def _typing(text: str, start: int = 0, gap: int = 150) -> list[list[object]]:
    """Changes typing ``text`` one character at a time from ``start``."""
    return [[gap, start + i, start + i, ch] for i, ch in enumerate(text)]


def _save(client: FlaskClient, position: int, code: str, revision: int, changes: object) -> object:
    return client.post(
        f"/attempt/api/items/{position}/draft",
        json={"code": code, "revision": revision, "changes": changes},
        headers=csrf_header(client),
    )


def _task_id(attempt: Attempt, position: int) -> int:
    return next(i.task_id for i in attempt.items if i.position == position)


def test_batches_sent_again_are_kept_once_and_replay_ends_in_the_code(
    app: Flask, client: FlaskClient, started: Attempt, factory: Factory
) -> None:
    """The browser re-sends everything unconfirmed: a longer copy of a batch replaces the
    shorter one, an overlapping later batch adds only what is new, and the desk's replay
    rebuilds exactly the saved code (non-BMP characters included)."""
    _, task = positions(started)
    base = "def f():\n    pass\n"
    first = _typing("# 1", len(base))
    assert (
        _save(
            client, task, base + "# 1", 10, {"stream": STREAM, "seq": 0, "base": base, "ops": first}
        ).status_code
        == 200
    )
    more = first + _typing(" 🐍", len(base) + 3)  # the first batch again, with more
    code = base + "# 1 🐍"
    assert (
        _save(
            client, task, code, 11, {"stream": STREAM, "seq": 0, "base": base, "ops": more}
        ).status_code
        == 200
    )
    # an overlapping batch from position 4 (one change already stored, one new)
    tail = [*more[4:], [130_000, 0, 0, "x" * 250]]
    code = "x" * 250 + code
    assert (
        _save(client, task, code, 12, {"stream": STREAM, "seq": 4, "ops": tail}).status_code == 200
    )
    rows = db.session.scalars(sa.select(CodeChange)).all()
    assert sorted((r.seq, r.op_count) for r in rows) == [(0, 5), (4, 2)]

    streams = recording.streams(db.session, started.id, _task_id(started, task))
    assert len(streams) == 1 and streams[0].complete
    assert streams[0].final == code
    signals = recording.signals(streams, code)
    assert (signals.changes, signals.pastes, signals.idle_gaps, signals.matches) == (6, 1, 1, True)
    assert signals.largest_insert == 250

    # the desk: an assigned interviewer replays it
    attempts.finish_attempt(db.session, db.session.merge(started))
    interviewer = factory.user(Role.INTERVIEWER)
    recruiter = factory.user(Role.RECRUITER)
    review.assign(db.session, db.session.merge(started), interviewer.id, recruiter)
    db.session.commit()
    desk = app.test_client()
    Auth(desk).login(interviewer.email)
    url = f"/review/attempts/{started.id}/tasks/{_task_id(started, task)}/replay"
    page = desk.get(url)
    assert page.status_code == 200 and "replay.js" in page.text
    data = desk.get(url + ".json").get_json()
    assert data["streams"][0]["base"] == base
    assert len(data["streams"][0]["ops"]) == 6
    assert data["signals"]["pastes"] == 1
    assert desk.get(f"/review/attempts/{started.id}/tasks/99999/replay.json").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ("ops", "changes"),
        ({"stream": "XYZ", "seq": 0, "ops": []}, "changes.stream"),
        ({"stream": STREAM, "seq": -1, "ops": []}, "changes.seq"),
        ({"stream": STREAM, "seq": True, "ops": []}, "changes.seq"),
        ({"stream": STREAM, "seq": 0, "ops": [[1, 5, 2, "a"]]}, "changes.ops[0]"),
        ({"stream": STREAM, "seq": 0, "ops": [[1, 0, 0]]}, "changes.ops[0]"),
        ({"stream": STREAM, "seq": 0, "ops": [[-1, 0, 0, "a"]]}, "changes.ops[0]"),
        ({"stream": STREAM, "seq": 0, "ops": [[0, 0, 0, "a"]] * 5001}, "changes.ops"),
        ({"stream": STREAM, "seq": 3, "base": "x", "ops": []}, "changes.base"),
    ],
)
def test_malformed_changes_are_refused_with_the_field_and_save_nothing(
    app: Flask, client: FlaskClient, started: Attempt, changes: object, field: str
) -> None:
    """A malformed recording is a 422 naming the field; neither it nor the draft is stored
    (the draft saved before stays as it was)."""
    _, task = positions(started)
    assert _save(client, task, "kept = 1\n", 5, None).status_code == 200
    response = _save(client, task, "lost = 2\n", 6, changes)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in response.get_json()["error"]["fields"]
    assert db.session.scalar(sa.select(CodeDraft.code)) == "kept = 1\n"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CodeChange)) == 0


def test_a_full_recording_stops_but_the_draft_is_always_saved(
    app: Flask, client: FlaskClient, started: Attempt, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the size cap, later changes are dropped and the cap is marked; every draft is
    still saved, and the replay says the recording is capped."""
    monkeypatch.setattr(recording, "MAX_RECORDING_BYTES", 500)
    _, task = positions(started)
    ops = _typing("a" * 10)
    assert (
        _save(
            client, task, "a" * 10, 1, {"stream": STREAM, "seq": 0, "base": "", "ops": ops}
        ).status_code
        == 200
    )
    big = [[10, 10, 10, "b" * 600]]
    assert (
        _save(
            client, task, "a" * 10 + "b" * 600, 2, {"stream": STREAM, "seq": 10, "ops": big}
        ).status_code
        == 200
    )
    assert db.session.scalar(sa.select(CodeDraft.code)) == "a" * 10 + "b" * 600
    streams = recording.streams(db.session, started.id, _task_id(started, task))
    signals = recording.signals(streams, "a" * 10 + "b" * 600)
    assert signals.capped and signals.changes == 10 and signals.matches is False


def test_a_missing_batch_marks_the_recording_incomplete(
    app: Flask, client: FlaskClient, started: Attempt
) -> None:
    """Changes 3.. without 0..2 cannot be applied: the stream is marked incomplete and the
    replay keeps only what applies; a second page load is a second session from its base."""
    _, task = positions(started)
    assert (
        _save(
            client, task, "abc", 1, {"stream": STREAM, "seq": 0, "base": "", "ops": _typing("abc")}
        ).status_code
        == 200
    )
    assert (
        _save(
            client, task, "abcdef", 2, {"stream": STREAM, "seq": 5, "ops": _typing("f", 5)}
        ).status_code
        == 200
    )
    second = "fedcba9876543210"
    assert (
        _save(
            client,
            task,
            "abcdef!",
            3,
            {"stream": second, "seq": 0, "base": "abcdef", "ops": _typing("!", 6)},
        ).status_code
        == 200
    )
    streams = recording.streams(db.session, started.id, _task_id(started, task))
    assert [s.stream for s in streams] == [STREAM, second]
    assert not streams[0].complete and len(streams[0].ops) == 3
    assert streams[1].complete and streams[1].final == "abcdef!"
    assert recording.signals(streams, "abcdef!").matches is True


def test_changes_whose_positions_do_not_fit_are_cut_where_they_stop_applying(
    app: Flask, client: FlaskClient, started: Attempt
) -> None:
    """A forged change beyond the text's end never breaks the replay: it stops there."""
    _, task = positions(started)
    ops = [*_typing("ab"), [5, 40, 41, "z"], *_typing("c", 2)]
    assert (
        _save(
            client, task, "abc", 1, {"stream": STREAM, "seq": 0, "base": "", "ops": ops}
        ).status_code
        == 200
    )
    streams = recording.streams(db.session, started.id, _task_id(started, task))
    assert not streams[0].complete
    assert streams[0].final == "ab"
