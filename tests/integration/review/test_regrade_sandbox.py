"""Re-grading through the real pipeline: the dispatcher, the sandbox, a second grading run."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.grading.dispatch import InProcessDispatcher
from assess.grading.sandbox_service import shutdown
from assess.models import GradingRun, Submission, SubmissionState, User
from sandbox import SandboxConfig, docker_available
from tests.conftest import csrf_token, require
from tests.integration.review import builders
from tests.integration.review.conftest import Desk

REFERENCE = (
    Path(__file__).resolve().parents[3] / "challenges" / "tasks" / "word-frequency" / "reference.py"
).read_text()


@pytest.fixture
def grading(app: Flask) -> Iterator[Flask]:
    """In-process grading in the real sandbox (skipped without Docker, failed under CI)."""
    require(docker_available(SandboxConfig.from_env(os.environ)), "Docker sandbox")
    app.config["SANDBOX_ENABLED"] = True
    app.extensions["grading"] = InProcessDispatcher(app, workers=1, lease_seconds=30)
    yield app
    app.extensions["grading"].shutdown()
    shutdown()


def test_regrade_runs_the_sandbox_again(
    grading: Flask, desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """A hand-written failing run, then a re-grade of the reference code: the real sandbox
    appends a passing run and the desk shows which probes changed."""
    carol = builders.finished_attempt(
        desk.position,
        desk.recruiter,
        "Carol Regrade",
        seed=77,
        code=REFERENCE,
        results=(builders.run_result(0, verdict="error"),),
    )
    builders.assign(carol, desk.interviewer, desk.recruiter)
    submission = db.session.scalar(sa.select(Submission).where(Submission.attempt_id == carol.id))
    assert submission is not None
    client = sign_in(desk.interviewer)
    page = client.get(f"/review/attempts/{carol.id}").text
    response = client.post(
        f"/review/attempts/{carol.id}/submissions/{submission.id}/regrade",
        data={"csrf_token": csrf_token(page)},
    )
    assert response.status_code == 302
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        db.session.expire_all()
        if db.session.get(Submission, submission.id).state is SubmissionState.DONE:
            break
        time.sleep(0.3)
    db.session.expire_all()
    done = db.session.get(Submission, submission.id)
    assert done.state is SubmissionState.DONE
    assert done.verdict == "passed"
    runs = db.session.scalars(
        sa.select(GradingRun).where(GradingRun.submission_id == submission.id)
    ).all()
    assert len(runs) == 2
    page = client.get(f"/review/attempts/{carol.id}").text
    assert "What changed in the last re-grade" in page
    assert "score 0% → 100%" in page
    db.session.refresh(carol)
    assert carol.scorecard is not None
