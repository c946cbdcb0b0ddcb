"""Scaled grading: RQ over a real Redis, with `flask worker` processes that can die."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from flask import Flask

from assess.extensions import db
from assess.grading.dispatch import RQDispatcher
from assess.models import GradingRun, Submission, SubmissionState
from tests.conftest import ROOT, BankFactory, Factory, make_attempt, require

REDIS_URL = os.environ.get("ASSESS_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
TASK = ROOT / "challenges" / "tasks" / "word-frequency"
SLOW_SUFFIX = "\nimport time\n\ntime.sleep(4)\n"


def redis_problem() -> str | None:
    """None when the test Redis answers."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


@pytest.fixture
def rq_app(app: Flask, docker_ready: None) -> Iterator[Flask]:
    """The app dispatching to RQ on a clean Redis database."""
    require(redis_problem(), "Redis")
    redis.Redis.from_url(REDIS_URL).flushdb()
    app.config.update(GRADING_BACKEND="rq", REDIS_URL=REDIS_URL)
    app.extensions["grading"] = RQDispatcher(REDIS_URL)
    yield app
    redis.Redis.from_url(REDIS_URL).flushdb()


class Worker:
    """A `flask worker` process on the test database."""

    def __init__(self, database_url: str, tmp: Path, name: str) -> None:
        """Start it."""
        env = {
            **os.environ,
            "ASSESS_ENV": "development",
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "ASSESS_GRADING_BACKEND": "rq",
            "ASSESS_GRADING_LEASE_SECONDS": "3",
            "ASSESS_SANDBOX_POOL_SIZE": "1",
        }
        self.log = (tmp / f"{name}.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--sweep-seconds", "1"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL: no chance to hand anything back."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM, then wait (a warm shutdown)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def wait_for(predicate: object, timeout: float, what: str) -> None:
    """Poll ``predicate`` until true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def final_submission(factory: Factory, code: str) -> Submission:
    """A queued final submission of ``code`` to the word-frequency task."""
    attempt, _ = make_attempt(factory)
    item = next(i for i in attempt.items if i.task_id)
    submission = Submission(attempt_id=attempt.id, task_id=item.task_id, kind="final", code=code)
    db.session.add(submission)
    db.session.commit()
    return submission


def test_worker_killed_mid_grading_loses_nothing(
    rq_app: Flask, bank: BankFactory, factory: Factory, database_url: str, tmp_path: Path
) -> None:
    """Kill the worker while it grades; another takes over after the lease and finishes."""
    code = (TASK / "reference.py").read_text() + SLOW_SUFFIX
    submission = final_submission(factory, code)
    first = Worker(database_url, tmp_path, "first")
    try:
        rq_app.extensions["grading"].enqueue(submission.id)
        wait_for(
            lambda: db.session.get(Submission, submission.id).state is SubmissionState.RUNNING,
            60,
            "the first worker to start grading",
        )
        first.kill()
    finally:
        first.stop()
    assert db.session.get(Submission, submission.id).state is SubmissionState.RUNNING
    second = Worker(database_url, tmp_path, "second")
    try:
        wait_for(
            lambda: db.session.get(Submission, submission.id).state is SubmissionState.DONE,
            90,
            "the second worker to finish",
        )
    finally:
        second.stop()
    done = db.session.get(Submission, submission.id)
    assert done.verdict == "passed" and done.score == 1.0
    assert done.tries == 2
    runs = db.session.scalars(sa.select(GradingRun).where(GradingRun.submission_id == done.id))
    assert len(list(runs)) == 1


def test_enqueue_survives_a_redis_outage(
    app: Flask,
    docker_ready: None,
    bank: BankFactory,
    factory: Factory,
    database_url: str,
    tmp_path: Path,
) -> None:
    """With Redis unreachable the row stays queued; a worker's sweep grades it later."""
    require(redis_problem(), "Redis")
    redis.Redis.from_url(REDIS_URL).flushdb()
    submission = final_submission(factory, (TASK / "reference.py").read_text())
    RQDispatcher("redis://127.0.0.1:1/0").enqueue(submission.id)
    assert db.session.get(Submission, submission.id).state is SubmissionState.QUEUED
    from datetime import timedelta

    from assess.models import utcnow

    submission.created_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    worker = Worker(database_url, tmp_path, "sweeper")
    try:
        wait_for(
            lambda: db.session.get(Submission, submission.id).state is SubmissionState.DONE,
            90,
            "the sweep to grade the stale row",
        )
    finally:
        worker.stop()
    assert db.session.get(Submission, submission.id).verdict == "passed"
