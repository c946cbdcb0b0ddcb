"""A candidate works a project task in a real browser: edits two files, creates one, runs the
project's own tests, submits, reloads and finds the work and the result; axe finds nothing."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from flask import Flask

from assess.extensions import db
from assess.grading.dispatch import InProcessDispatcher
from assess.models import Attempt, CodeDraft, Role
from assess.services import attempts, recording, review
from sandbox import SandboxConfig, docker_available
from tests.conftest import ROOT, BankFactory, Factory, make_invitation, require
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import LiveServer, screenshot, sign_in

PROJECT = ROOT / "tests" / "integration" / "sandbox" / "tasks" / "ledger-project"
FIXED = (
    "from ledger.signs import SIGNS\n\n\n"
    "def balance(entries):\n    return sum(SIGNS[kind] * amount for kind, amount in entries)\n"
)
SIGNS = 'SIGNS = {"sale": 1, "refund": -1}\n'
NEW_TEST = (
    "from ledger import balance\n\n\ndef test_nothing_is_zero():\n    assert balance([]) == 0\n"
)


@pytest.fixture
def project_app(live_app: Flask) -> Any:
    """The live app whose junior blueprint draws the project fixture, graded in the sandbox."""
    require(docker_available(SandboxConfig.from_env(os.environ)), "Docker sandbox")
    BankFactory(PROJECT).load()
    live_app.config["SANDBOX_ENABLED"] = True
    live_app.extensions["grading"] = InProcessDispatcher(live_app, workers=2, lease_seconds=30)
    yield live_app
    live_app.extensions["grading"].shutdown()


def replace_text(page: Any, text: str) -> None:
    """Select all in the visible editor and paste ``text`` over it."""
    editor = page.locator(".workspace-editors .editor:not([hidden]) .cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    page.keyboard.press("Control+V")


def test_a_project_task_in_the_browser(
    project_app: Flask, live_server: LiveServer, page: Any, browser: Any
) -> None:
    """Two edits, one new file, sample tests, submit, reload: everything is there; the desk
    replays how the project was written, file by file, and shows its diff."""
    factory = Factory()
    _, token = make_invitation(factory)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}/i/{token}")
    page.get_by_label("I have read the rules").check()
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url("**/attempt")
    db.session.expire_all()
    attempt = db.session.query(Attempt).one()
    position = next(i.position for i in attempt.items if i.task_id)
    page.goto(f"{live_server.url}/attempt/{position}")

    files = page.locator(".workspace-file")
    assert files.all_inner_texts() == [
        "README.md (read-only)",
        "ledger/__init__.py",
        "ledger/core.py",
        "pyproject.toml (read-only)",
        "tests/test_core.py",
    ]
    assert_accessible(page, "project task")
    page.get_by_label("New file").fill("../escape.py")
    page.get_by_role("button", name="Add file").click()
    assert "letters, digits" in page.locator(".workspace-message").inner_text()
    page.get_by_label("New file").fill("ledger/signs.py")
    page.get_by_role("button", name="Add file").click()
    replace_text(page, SIGNS)
    page.get_by_role("button", name="ledger/core.py").click()
    replace_text(page, FIXED)
    page.get_by_role("button", name="tests/test_core.py").click()
    page.locator(".workspace-editors .editor:not([hidden]) .cm-content").click()
    page.keyboard.press("Control+End")
    page.evaluate(
        "text => navigator.clipboard.writeText(text)", "\n\n" + NEW_TEST.split("\n\n\n")[1]
    )
    page.keyboard.press("Control+V")
    page.locator("#save-status[data-kind=saved]").wait_for(timeout=10_000)
    screenshot(page, "candidate-project-task")

    page.get_by_role("button", name="Run sample tests").click()
    page.wait_for_selector("#run-result table", timeout=60_000)
    results = page.inner_text("#run-result")
    assert "tests/test_core.py::test_refunds_subtract" in results
    assert "tests/test_core.py::test_nothing_is_zero" in results
    assert "Failed" not in results
    page.get_by_role("button", name="Submit").click()
    page.locator("#run-result", has_text="graded").wait_for(timeout=60_000)

    db.session.expire_all()
    draft = db.session.query(CodeDraft).one()
    streams = recording.streams(db.session, attempt.id, draft.task_id)
    replayed = recording.signals(streams, draft.code)
    assert replayed.recorded and replayed.matches, "the recording ends in the saved project"
    assert replayed.changes >= 3
    saved = json.loads(draft.code)["files"]
    assert saved["ledger/signs.py"] == SIGNS
    assert saved["ledger/core.py"] == FIXED
    assert "test_nothing_is_zero" in saved["tests/test_core.py"]
    page.reload()
    page.locator("#run-result", has_text="graded").wait_for(timeout=10_000)
    # the navigation counts tasks from 1, after the questions
    assert "submitted" in page.get_by_role("link", name="Task 1").inner_text()
    assert "ledger/signs.py" in page.locator(".workspace-list").inner_text()
    page.get_by_role("button", name="ledger/signs.py").click()
    assert "refund" in page.locator(".workspace-editors .editor:not([hidden])").inner_text()
    assert errors == []

    attempts.finish_attempt(db.session, db.session.merge(attempt))
    interviewer = factory.user(Role.INTERVIEWER)
    review.assign(db.session, db.session.merge(attempt), interviewer.id, interviewer)
    db.session.commit()
    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = staff.new_page()
    sign_in(desk, live_server.url, interviewer.email)
    desk.goto(f"{live_server.url}/review/attempts/{attempt.id}")
    assert "ledger/signs.py" in desk.locator(".project-changes").inner_text()
    desk.goto(f"{live_server.url}/review/attempts/{attempt.id}/tasks/{draft.task_id}/replay")
    desk.wait_for_function("() => window.AssessReplay !== undefined")
    shown = desk.locator("#replay-code").inner_text()
    assert "# ── ledger/signs.py ──" in shown and 'SIGNS = {"sale": 1' in shown
    assert_accessible(desk, "the replay of a project")
    staff.close()
