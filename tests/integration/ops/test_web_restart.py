"""The embedded set-up (gunicorn, SQLite, grading in the web process) loses no submission
when the web restarts in the middle of grading: SIGTERM finishes the one in hand, and the
next start picks up those left queued."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from assess import create_app
from assess.extensions import db
from assess.models import AttemptItem, GradeCode, GradingRun, Role, Submission, SubmissionState
from assess.services.invitations import create_position, invite
from sandbox.image import build_image
from tests.conftest import Factory, require
from tests.integration.ops.servers import ROOT, Gunicorn, wait_for
from tests.integration.ops.test_restarts import docker_problem
from tests.integration.ops.world import TASK, load_small_bank

pytestmark = [pytest.mark.docker]
SUBMISSIONS = 20  # the most a candidate may send for one task
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def counts(url: str) -> dict[str, int]:
    """Submissions per state, read straight from the database file."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT state, count(*) FROM submission GROUP BY state")
            ).all()
    finally:
        engine.dispose()
    return {str(state): int(n) for state, n in rows}


def test_web_restart_mid_grading_loses_nothing(tmp_path: Path) -> None:
    """A candidate submits twenty times; gunicorn is stopped while one is graded and
    started again: every submission ends graded exactly once."""
    require(docker_problem(), "Docker")
    image = build_image(log=lambda _: None)
    url = "sqlite:///" + str(tmp_path / "embedded.sqlite3")
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        load_small_bank(tmp_path)
        recruiter = Factory().user(Role.RECRUITER)
        position = create_position(db.session, recruiter, "Web restart", GradeCode.JUNIOR)
        _, token = invite(db.session, position, "Candidate", "c@example.com", recruiter)
        db.session.commit()
        db.session.remove()
    env = {
        "ASSESS_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": url, "ASSESS_GRADING_BACKEND": "inprocess",
        "ASSESS_GRADING_WORKERS": "1", "ASSESS_SANDBOX_IMAGE": image,
        "ASSESS_SANDBOX_POOL_SIZE": "0",  # cold containers: grading outlasts the submitting
        "SESSION_COOKIE_SECURE": "false", "ASSESS_LOG_FORMAT": "json",
    }  # fmt: skip
    log = tmp_path / "gunicorn.log"
    web = Gunicorn(env, log, workers=1).start()
    try:
        browser = requests.Session()
        landing = browser.get(f"{web.url}/i/{token}", timeout=10)
        form = CSRF_FIELD.search(landing.text)
        assert form is not None
        browser.post(f"{web.url}/i/{token}", data={"csrf_token": form.group(1), "agree": "y"},
                     timeout=10)  # fmt: skip
        meta = CSRF_META.search(browser.get(f"{web.url}/attempt", timeout=10).text)
        assert meta is not None
        with app.app_context():
            position_of_task = db.session.scalar(
                sa.select(AttemptItem.position).where(AttemptItem.task_id.is_not(None))
            )
            db.session.remove()
        code = (ROOT / "challenges" / "tasks" / TASK / "reference.py").read_text()
        for _ in range(SUBMISSIONS):
            sent = browser.post(f"{web.url}/attempt/api/items/{position_of_task}/submit",
                                json={"code": code}, headers={"X-CSRFToken": meta.group(1)},
                                timeout=10)  # fmt: skip
            assert sent.status_code == 202, sent.text
        wait_for(lambda: counts(url).get("running", 0) == 1, 60, "a submission being graded")
    finally:
        status = web.stop(60)
    assert status == 0
    after_stop = counts(url)
    assert after_stop.get("running", 0) == 0, f"SIGTERM left one running: {after_stop}"
    assert after_stop.get("done", 0) >= 1, "the submission in hand was not finished"
    assert after_stop.get("queued", 0) >= 1, "nothing was left to pick up after the restart"
    started = time.monotonic()
    web = Gunicorn(env, log, workers=1).start()
    try:
        wait_for(lambda: counts(url).get("done", 0) == SUBMISSIONS, 90, "all graded")
    finally:
        assert web.stop(60) == 0
    with app.app_context():
        runs = dict(db.session.execute(
            sa.select(GradingRun.submission_id, sa.func.count()).group_by(GradingRun.submission_id)
        ).all())  # fmt: skip
        verdicts = set(db.session.scalars(sa.select(Submission.verdict)))
        states = set(db.session.scalars(sa.select(Submission.state)))
        db.session.remove()
        db.engine.dispose()
    assert states == {SubmissionState.DONE}
    assert verdicts == {"passed"}
    assert sorted(runs.values()) == [1] * SUBMISSIONS
    print(f"\nweb restart: {after_stop} after SIGTERM, the rest graded "
          f"{time.monotonic() - started:.1f}s after the restart")  # fmt: skip
