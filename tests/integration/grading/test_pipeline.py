"""The grading pipeline end to end: a candidate's POST, the queue, the sandbox, the score."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.grading import queue
from assess.grading.dispatch import InProcessDispatcher, dispatcher
from assess.grading.runner import grade_submission
from assess.grading.sandbox_service import get_sandbox
from assess.models import Attempt, CodingTask, GradingRun, Submission, SubmissionState
from tests.conftest import BankFactory, Factory, make_attempt
from tests.integration.candidate.test_attempt_flow import api, open_invitation

TASK = Path(__file__).resolve().parents[3] / "challenges" / "tasks" / "word-frequency"


@pytest.fixture
def grading_app(app: Flask, docker_ready: None) -> Iterator[Flask]:
    """The app with in-process grading on."""
    app.config["SANDBOX_ENABLED"] = True
    app.extensions["grading"] = InProcessDispatcher(app, workers=2, lease_seconds=30)
    yield app
    app.extensions["grading"].shutdown()


def wait_done(submission_id: int, timeout: float = 60) -> Submission:
    """Poll the row until grading has finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        submission = db.session.get(Submission, submission_id)
        if submission.state in (SubmissionState.DONE, SubmissionState.FAILED):
            return submission
        time.sleep(0.2)
    raise AssertionError(f"submission {submission_id} still {submission.state}")


def test_submit_grades_and_scores(
    grading_app: Flask, bank: BankFactory, factory: Factory, client: FlaskClient
) -> None:
    """The reference earns full marks; the candidate sees 'graded', never the expectations."""
    attempt, token = make_attempt(factory)
    open_invitation(client, token)
    pos = next(i.position for i in attempt.items if i.task_id)
    reference = (TASK / "reference.py").read_text()
    response = api(client, f"/attempt/api/items/{pos}/submit", {"code": reference})
    assert response.status_code == 202
    submission = wait_done(response.json["id"])
    assert submission.verdict == "passed" and submission.score == 1.0
    status = client.get(f"/attempt/api/submissions/{submission.id}").json
    assert status == {
        "id": submission.id,
        "kind": "final",
        "state": "done",
        "queue_position": None,
        "verdict": "graded",
    }
    db.session.expire_all()
    card = db.session.get(Attempt, attempt.id).scorecard
    assert "t:word-frequency" in card["items"]
    golden = db.session.scalar(sa.select(CodingTask.golden))
    assert golden and golden["observations"]
    pages = [client.get(f"/attempt/{i.position}").text for i in attempt.items]
    pages.append(json.dumps(status))
    for observed in golden["observations"].values():
        text = json.dumps(observed)
        if len(text) > 12:
            assert all(text not in page for page in pages)


def test_sample_run_shows_visible_tests(
    grading_app: Flask, bank: BankFactory, factory: Factory, client: FlaskClient
) -> None:
    """A sample run reports each visible test with the candidate's output."""
    attempt, token = make_attempt(factory)
    open_invitation(client, token)
    pos = next(i.position for i in attempt.items if i.task_id)
    starter = (TASK / "starter.py").read_text() + "\nprint('hello from the candidate')\n"
    response = api(client, f"/attempt/api/items/{pos}/run", {"code": starter})
    assert response.status_code == 202
    wait_done(response.json["id"])
    status = client.get(f"/attempt/api/submissions/{response.json['id']}").json
    assert status["kind"] == "sample" and status["verdict"] in ("failed", "error")
    assert status["tests"] and all("passed" in t for t in status["tests"])


def test_claims_are_exclusive_and_grading_is_idempotent(
    grading_app: Flask, bank: BankFactory, factory: Factory
) -> None:
    """Two graders cannot both claim a row; a finished row is never graded again."""
    attempt, _ = make_attempt(factory)
    item = next(i for i in attempt.items if i.task_id)
    submission = Submission(
        attempt_id=attempt.id,
        task_id=item.task_id,
        kind="final",
        code=(TASK / "reference.py").read_text(),
    )
    db.session.add(submission)
    db.session.commit()
    assert queue.claim(db.session, submission.id, "a", 30)
    assert not queue.claim(db.session, submission.id, "b", 30)
    queue.release(db.session, submission.id, "a")
    assert grade_submission(submission.id, "b", get_sandbox) == "graded"
    assert grade_submission(submission.id, "c", get_sandbox) == "skipped"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GradingRun)) == 1


def test_expired_lease_is_requeued_then_failed_after_max_tries(
    app: Flask, bank: BankFactory, factory: Factory
) -> None:
    """The reaper hands back expired leases, and gives up after the last try."""
    from datetime import timedelta

    from assess.models import utcnow

    attempt, _ = make_attempt(factory)
    item = next(i for i in attempt.items if i.task_id)
    submission = Submission(attempt_id=attempt.id, task_id=item.task_id, kind="final", code="x")
    db.session.add(submission)
    db.session.commit()
    for n in range(queue.MAX_TRIES):
        assert queue.claim(db.session, submission.id, f"w{n}", 1)
        report = queue.reap(db.session, now=utcnow() + timedelta(seconds=5))
        expected_failed = n == queue.MAX_TRIES - 1
        assert (submission.id in report.failed) is expected_failed
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).state is SubmissionState.FAILED


def test_queue_position_counts_what_runs_first(
    app: Flask, bank: BankFactory, factory: Factory
) -> None:
    """Samples (higher priority) go first; among equals, the older one."""
    attempt, _ = make_attempt(factory)
    item = next(i for i in attempt.items if i.task_id)
    rows = [
        Submission(
            attempt_id=attempt.id, task_id=item.task_id, kind=kind, code="x", priority=priority
        )
        for kind, priority in (("final", 0), ("final", 0), ("sample", 10))
    ]
    db.session.add_all(rows)
    db.session.commit()
    positions = [queue.position_in_queue(db.session, r) for r in rows]
    assert positions == [1, 2, 0]
    assert queue.queued_ids(db.session) == [rows[2].id, rows[0].id, rows[1].id]


def test_null_dispatcher_when_sandbox_is_off(app: Flask) -> None:
    """Without the sandbox, rows stay queued for a grader elsewhere (and nothing crashes)."""
    dispatcher(app).enqueue(12345)
    dispatcher(app).shutdown()
