"""Proving a real task in the real sandbox (Docker); fails instead of skipping under CI."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from assess import create_app
from assess.bank.cli import bank_cli
from assess.bank.loader import load_bank
from assess.bank.sandbox_session import SandboxSession, SandboxUnavailableError
from assess.extensions import db
from assess.models import CodingTask
from sandbox import SandboxConfig, docker_available
from tests.unit.bank.bankfiles import correct_solutions, make_bank

pytestmark = pytest.mark.docker
TASK = "word-frequency"
CORRECT = len(correct_solutions(TASK))


@pytest.fixture(scope="module")
def docker_ready() -> None:
    """Docker and the runner image, or a skip (a failure when CI=true)."""
    problem = docker_available(SandboxConfig.from_env(os.environ))
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Docker unavailable under CI=true: {problem}")
    pytest.skip(f"Docker unavailable: {problem}")


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on its own SQLite file (one database is enough to prove the sandbox path)."""
    app = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    )
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_real_task_is_proved_and_golden_stored(
    docker_ready: None, sqlite_app: Flask, tmp_path: Path
) -> None:
    """The reference earns full marks, the starter and every faulty file lose points, and
    the golden observations recorded in the sandbox are stored on the task's row."""
    root = make_bank(tmp_path, tasks=(TASK,))
    load_bank(db.session, root)
    db.session.commit()
    result = sqlite_app.test_cli_runner().invoke(
        bank_cli, ["check", "--root", str(root), "--task", TASK, "--no-exec"]
    )
    assert result.exit_code == 0, result.output
    assert (
        f"ok   {TASK}, reference 1.00, starter 0.00, "
        f"correct full marks {CORRECT}/{CORRECT}, faulty caught " in result.output
    )
    assert "tasks proved: 1/1; golden stored for 1 in the database" in result.output
    task = db.session.scalar(sa.select(CodingTask))
    assert task is not None
    assert task.golden is not None
    assert task.golden["content_hash"] == task.spec["content_hash"]
    assert task.golden["observations"]
    assert task.golden_image


def test_a_faulty_file_that_passes_fails_the_check(
    docker_ready: None, sqlite_app: Flask, tmp_path: Path
) -> None:
    """A 'faulty' file identical to the reference earns full marks, so the check fails."""
    root = make_bank(tmp_path, tasks=(TASK,))
    folder = root / "tasks" / TASK
    (folder / "faulty" / "not_faulty.py").write_bytes((folder / "reference.py").read_bytes())
    result = sqlite_app.test_cli_runner().invoke(
        bank_cli, ["check", "--root", str(root), "--no-exec"]
    )
    assert result.exit_code == 1
    assert f"FAIL {TASK}" in result.output
    assert "faulty/not_faulty.py earns full marks (it must lose points)" in result.output


def test_missing_image_is_reported(docker_ready: None) -> None:
    """An unknown runner image makes the session refuse to start, saying why."""
    session = SandboxSession({"ASSESS_SANDBOX_IMAGE": "assess-no-such-image:0"})
    with pytest.raises(SandboxUnavailableError, match="assess-no-such-image:0"), session:
        pass
