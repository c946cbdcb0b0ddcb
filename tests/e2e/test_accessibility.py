"""axe-core (WCAG 2.1 A/AA) over the candidate journey: landing, a question, the coding task
and the finish page; and a check that the helper does report a violation."""

from __future__ import annotations

from typing import Any

from flask import Flask

from assess.extensions import db
from assess.models import Attempt, GradeCode
from assess.services import blueprints
from tests.conftest import BankFactory, Factory, make_invitation
from tests.e2e.a11y import assert_accessible, axe_violations
from tests.e2e.conftest import LiveServer


def test_the_helper_reports_a_violation(live_server: LiveServer, page: Any) -> None:
    """An image without alternative text on a real page is reported with its rule id."""
    page.goto(f"{live_server.url}/login")
    page.evaluate("() => document.body.appendChild(document.createElement('img'))")
    assert "image-alt" in {v["id"] for v in axe_violations(page)}


def test_candidate_journey_pages_are_accessible(
    live_app: Flask, live_server: LiveServer, page: Any
) -> None:
    """Landing, a question, the coding task and the finish page have no WCAG 2.1 A/AA
    violation that axe-core can find."""
    BankFactory().load()
    _, token = make_invitation(Factory())
    page.goto(f"{live_server.url}/i/{token}")
    assert_accessible(page, "the landing page")
    page.get_by_label("I have read the rules").check()
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url("**/attempt")
    db.session.expire_all()
    started = db.session.query(Attempt).one()
    question = next(i.position for i in started.items if i.question_id)
    task = next(i.position for i in started.items if i.task_id)
    page.goto(f"{live_server.url}/attempt/{question}")
    assert_accessible(page, "a question")
    page.goto(f"{live_server.url}/attempt/{task}")
    page.locator(".cm-content").wait_for()
    assert_accessible(page, "the coding task")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Finish the assessment").click()
    page.wait_for_url("**/attempt/done")
    assert_accessible(page, "the finish page")


def test_a_sectioned_attempt_and_its_break_are_accessible(
    live_app: Flask, live_server: LiveServer, page: Any
) -> None:
    """With a break allowed: the quiz section, ending it (confirmed), the break page with the
    clock stopped, then the coding section; each page free of WCAG 2.1 A/AA violations."""
    BankFactory().load()
    default = blueprints.default_for(db.session, GradeCode.JUNIOR)
    assert default is not None
    default.break_minutes = 10
    db.session.commit()
    _, token = make_invitation(Factory())
    page.goto(f"{live_server.url}/i/{token}")
    assert "you may take a break of up to 10 minutes" in page.inner_text("main")
    page.get_by_label("I have read the rules").check()
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url("**/attempt")
    assert "after the break" in page.inner_text(".attempt-nav")
    assert_accessible(page, "the quiz section's overview")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="End the quiz section and take a break").click()
    page.wait_for_url("**/attempt/break")
    assert "The clock is stopped" in page.inner_text("main")
    assert ":" in page.inner_text("#break-left")
    assert_accessible(page, "the break page")
    page.get_by_role("button", name="Start the coding tasks").click()
    page.wait_for_url("**/attempt")
    assert "final" in page.inner_text(".attempt-nav")
    page.get_by_role("link", name="Go to the first item").click()
    page.locator(".cm-content").wait_for()
    assert_accessible(page, "the coding section's task")
