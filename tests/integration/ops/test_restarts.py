"""No submission is lost when the grading worker, Redis or PostgreSQL restart in the middle
of grading: real Docker sandbox, a private Redis and a private PostgreSQL cluster."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.pool import NullPool

from assess import create_app
from assess.extensions import db
from assess.grading.dispatch import RQDispatcher
from assess.models import (
    AttemptItem,
    GradeCode,
    GradingRun,
    Invitation,
    Position,
    Role,
    Submission,
    SubmissionKind,
    SubmissionState,
)
from assess.services.attempts import start_attempt
from assess.services.invitations import create_position, invite
from assess.services.submissions import submit_code
from sandbox.image import build_image
from tests.conftest import Factory, require
from tests.integration.ops.servers import (
    ROOT,
    PrivatePostgres,
    PrivateRedis,
    app_environment,
    postgres_server_problem,
    redis_problem,
    wait_for,
)
from tests.integration.ops.world import TASK, load_small_bank

pytestmark = [pytest.mark.docker, pytest.mark.redis, pytest.mark.postgres]
PER_PHASE = 3  # fresh submissions before each restart, so one is always being graded
LEASE_SECONDS = 6


def docker_problem() -> str | None:
    """None when the Docker engine answers."""
    try:
        with contextlib.closing(docker.from_env()) as client:
            client.ping()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


class Supervisor:
    """Keeps one grading worker running, as Docker's restart policy would."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        """Prepare."""
        self.env, self.log = env, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        """Start a worker process."""
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.integration.ops.worker_main"], cwd=ROOT,
                env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.starts += 1

    def ensure(self) -> None:
        """Restart the worker if it exited."""
        if self.proc is None or self.proc.poll() is not None:
            self.start()

    def signal(self, signum: int) -> None:
        """Send ``signum`` to the worker."""
        assert self.proc is not None
        self.proc.send_signal(signum)

    def wait(self, seconds: float) -> int:
        """Wait for the worker to exit; its status."""
        assert self.proc is not None
        return self.proc.wait(seconds)

    def stop(self) -> None:
        """Stop for good."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def states(app: Flask) -> dict[str, int]:
    """How many submissions are in each state (retrying while the database restarts)."""
    with app.app_context():
        try:
            rows = db.session.execute(
                sa.select(Submission.state, sa.func.count()).group_by(Submission.state)
            ).all()
        except sa.exc.OperationalError:
            db.session.rollback()
            return {}
        finally:
            db.session.remove()
    return {state.value: count for state, count in rows}


def wait_until(
    app: Flask, supervisor: Supervisor, done_at_least: int, running: bool, seconds: float
) -> None:
    """Wait (keeping a worker alive) until enough are done and, if asked, one is running."""

    def ready() -> bool:
        supervisor.ensure()
        now = states(app)
        return now.get("done", 0) >= done_at_least and (not running or now.get("running", 0) > 0)

    wait_for(ready, seconds, f"{done_at_least} done{' and one running' if running else ''}")


def worker_health(redis_url: str) -> int:
    """The image's health check, run as in a worker container on this host."""
    env = app_environment({"ASSESS_ROLE": "worker", "REDIS_URL": redis_url})
    return subprocess.run([sys.executable, str(ROOT / "deploy" / "healthcheck.py")], env=env,
                          capture_output=True, timeout=30, check=False).returncode  # fmt: skip


def prepare_bank(app: Flask, tmp_path: Path) -> None:
    """The schema, the bank and a recruiter's position."""
    with app.app_context():
        db.create_all()
        load_small_bank(tmp_path)
        recruiter = Factory().user(Role.RECRUITER)
        create_position(db.session, recruiter, "Restart drill", GradeCode.JUNIOR)
        db.session.commit()
        db.session.remove()


def new_submissions(app: Flask, dispatcher: RQDispatcher, count: int) -> list[int]:
    """``count`` new candidates each send the task's reference solution; queued and sent."""
    reference = (ROOT / "challenges" / "tasks" / TASK / "reference.py").read_text()
    ids = []
    with app.app_context():
        position = db.session.scalar(sa.select(Position))
        assert position is not None
        for _ in range(count):
            number = db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) or 0
            invitation, _ = invite(db.session, position, f"Candidate {number}",
                                   f"c{number}@example.com", None)  # fmt: skip
            attempt = start_attempt(db.session, invitation, seed=number)
            item = db.session.scalar(
                sa.select(AttemptItem).where(
                    AttemptItem.attempt_id == attempt.id, AttemptItem.task_id.is_not(None)
                )
            )
            assert item is not None
            ids.append(submit_code(db.session, attempt, item.position, reference,
                                   SubmissionKind.FINAL).id)  # fmt: skip
        db.session.commit()
        db.session.remove()
    for submission_id in ids:
        dispatcher.enqueue(submission_id)
    return ids


@pytest.fixture
def services(tmp_path: Path) -> Iterator[tuple[PrivatePostgres, PrivateRedis]]:
    """A private PostgreSQL and a private Redis (no persistence: a restart loses the queue)."""
    require(docker_problem(), "Docker")
    require(redis_problem(), "Redis")
    require(postgres_server_problem(), "PostgreSQL server")
    postgres = PrivatePostgres().init()
    redis = PrivateRedis(tmp_path / "redis", persistent=False).start()
    try:
        yield postgres, redis
    finally:
        redis.stop()
        postgres.remove()


def test_no_submission_is_lost_across_restarts(
    services: tuple[PrivatePostgres, PrivateRedis], tmp_path: Path
) -> None:
    """SIGTERM and SIGKILL of the worker, a Redis restart that loses its queue, and a
    PostgreSQL restart, each while a submission is being graded: every submission ends
    graded exactly once, with the reference's verdict."""
    postgres, redis = services
    image = build_image(log=lambda _: None)
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": postgres.url,
                      "SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": NullPool}})  # fmt: skip
    prepare_bank(app, tmp_path)
    dispatcher = RQDispatcher(redis.url)
    log = tmp_path / "worker.log"
    supervisor = Supervisor(app_environment({
        "ASSESS_ENV": "development", "DATABASE_URL": postgres.url, "REDIS_URL": redis.url,
        "ASSESS_GRADING_BACKEND": "rq", "ASSESS_SANDBOX_IMAGE": image,
        "ASSESS_LOG_FORMAT": "json", "TEST_LEASE_SECONDS": str(LEASE_SECONDS),
    }), log)  # fmt: skip
    ids: list[int] = []
    started = time.monotonic()
    try:
        supervisor.start()
        # 1. A graceful restart of the worker: it finishes what it holds, then exits.
        ids += new_submissions(app, dispatcher, PER_PHASE)
        wait_until(app, supervisor, 0, running=True, seconds=60)
        assert worker_health(redis.url) == 0, "the container health check finds no worker"
        supervisor.signal(signal.SIGTERM)
        assert supervisor.wait(60) == 0
        assert states(app).get("running", 0) == 0, "SIGTERM left a submission running"
        supervisor.start()
        # 2. The worker crashes mid-run: the lease expires and the submission is requeued.
        ids += new_submissions(app, dispatcher, PER_PHASE)
        wait_until(app, supervisor, 0, running=True, seconds=30)
        supervisor.signal(signal.SIGKILL)
        supervisor.wait(10)
        supervisor.start()
        # 3. Redis restarts and forgets every queued message.
        ids += new_submissions(app, dispatcher, PER_PHASE)
        wait_until(app, supervisor, 0, running=True, seconds=40)
        redis.stop()
        time.sleep(1)
        redis.start()
        # 4. PostgreSQL restarts (fast shutdown ends every session).
        ids += new_submissions(app, dispatcher, PER_PHASE)
        wait_until(app, supervisor, 0, running=True, seconds=40)
        postgres.stop("fast")
        time.sleep(1)
        postgres.start()
        wait_until(app, supervisor, len(ids), running=False, seconds=90)
    finally:
        supervisor.stop()
    elapsed = time.monotonic() - started
    with app.app_context():
        rows = db.session.execute(
            sa.select(Submission.id, Submission.state, Submission.verdict)
        ).all()
        runs = dict(db.session.execute(
            sa.select(GradingRun.submission_id, sa.func.count()).group_by(GradingRun.submission_id)
        ).all())  # fmt: skip
        db.session.remove()
        db.engine.dispose()
    assert sorted(r.id for r in rows) == sorted(ids)
    assert all(r.state is SubmissionState.DONE for r in rows), rows
    assert all(r.verdict == "passed" for r in rows), rows
    assert runs == dict.fromkeys(ids, 1), "a submission was recorded twice or not at all"
    lines = [json.loads(x) for x in log.read_text().splitlines() if x.startswith("{")]
    assert any(line.get("submission_id") in ids for line in lines), "no line names a submission"
    assert supervisor.starts >= 3
    print(f"\nrestart drill: {len(ids)} submissions, {supervisor.starts} worker starts, "
          f"{elapsed:.1f}s")  # fmt: skip
