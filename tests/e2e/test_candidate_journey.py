"""A candidate walks from the invitation link to the end in a real browser; a recruiter then
reads the scorecard. Screenshots of the key pages are saved under artifacts/screenshots/."""

from __future__ import annotations

import os
from typing import Any

import pytest
from flask import Flask

from assess.extensions import db
from assess.grading.dispatch import InProcessDispatcher
from assess.models import Attempt, AttemptState, Question, Role
from sandbox import SandboxConfig, docker_available
from tests.conftest import ROOT, BankFactory, Factory, make_invitation, require
from tests.e2e.conftest import LiveServer, open_scorecard, screenshot, start_from_link

REFERENCE = (ROOT / "challenges" / "tasks" / "word-frequency" / "reference.py").read_text()


@pytest.fixture
def grading_live_app(live_app: Flask) -> Any:
    """The live app with the small bank and in-process grading in the real sandbox."""
    require(docker_available(SandboxConfig.from_env(os.environ)), "Docker sandbox")
    BankFactory().load()
    live_app.config["SANDBOX_ENABLED"] = True
    live_app.extensions["grading"] = InProcessDispatcher(live_app, workers=2, lease_seconds=30)
    yield live_app
    live_app.extensions["grading"].shutdown()


def answer_question(page: Any, qtype: str, key: str) -> None:
    """Answer one of the small bank's questions the way a person would."""
    if key == "py-j-901":
        page.get_by_label("b", exact=True).check()
    elif key == "py-j-902":
        page.get_by_label("a", exact=True).check()
        page.get_by_label("c", exact=True).check()
    elif key == "sql-j-901":
        page.get_by_label("Your answer").fill("3")
    elif key == "sql-j-902":
        for target_index, item in enumerate(("x", "y", "z")):
            for _ in range(3):
                values = page.locator(".ordering-item").evaluate_all(
                    "els => els.map(e => e.dataset.value)"
                )
                if values.index(item) <= target_index:
                    break
                page.get_by_role("button", name=f"Move up: {item}").click()
    page.locator("#save-status[data-kind=saved]").wait_for(timeout=10_000)


def assert_saved(page: Any, key: str) -> None:
    """After a reload the page shows the answer the server saved."""
    if key in ("py-j-901", "py-j-902"):
        assert page.locator("input[name=answer]:checked").count() >= 1
    elif key == "sql-j-901":
        assert page.get_by_label("Your answer").input_value() == "3"
    else:
        values = page.locator(".ordering-item").evaluate_all("els => els.map(e => e.dataset.value)")
        assert values == ["x", "y", "z"]


def test_candidate_journey_and_recruiter_scorecard(
    grading_live_app: Flask, live_server: LiveServer, page: Any, browser: Any
) -> None:
    """Invitation → quiz (with a reload) → sample run → submit → finish → recruiter's scorecard."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    _, token = make_invitation(factory, recruiter=recruiter)
    errors = start_from_link(page, live_server.url, token, shot="candidate-landing")
    page.get_by_role("link", name="Go to the first item").click()

    db.session.expire_all()
    started = db.session.query(Attempt).one()
    keys = {
        i.position: db.session.get(Question, i.question_id) for i in started.items if i.question_id
    }
    task_position = next(i.position for i in started.items if i.task_id)
    for number, (position, question) in enumerate(sorted(keys.items())):
        page.goto(f"{live_server.url}/attempt/{position}")
        answer_question(page, question.type, question.key)
        if number == 1:
            screenshot(page, "candidate-question")
            page.reload()
            assert_saved(page, question.key)

    page.goto(f"{live_server.url}/attempt/{task_position}")
    editor = page.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("text => navigator.clipboard.writeText(text)", REFERENCE)
    page.keyboard.press("Control+V")
    page.locator("#save-status[data-kind=saved]").wait_for(timeout=10_000)
    page.get_by_role("button", name="Run sample tests").click()
    page.wait_for_selector("#run-result table", timeout=60_000)
    assert "Passed" in page.inner_text("#run-result")
    screenshot(page, "candidate-sample-run")
    page.get_by_role("button", name="Submit").click()
    page.locator("#run-result", has_text="graded").wait_for(timeout=60_000)
    screenshot(page, "candidate-submitted")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Finish the assessment").click()
    page.wait_for_url("**/attempt/done")
    assert "Thank you" in page.content()
    screenshot(page, "candidate-done")
    db.session.expire_all()
    finished = db.session.query(Attempt).one()
    assert finished.state is AttemptState.FINISHED

    staff, desk = open_scorecard(browser, live_server.url, recruiter.email)
    assert desk.inner_text("#recommended-grade") == "Junior"
    py_row = desk.locator("tr[data-competency=PY]").inner_text()
    assert "100%" in py_row
    screenshot(desk, "recruiter-scorecard")
    staff.close()
    assert errors == []
