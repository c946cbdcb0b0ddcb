"""An adaptive assessment in a real browser: the candidate answers each question as it
comes, goes on with the button (the answer becomes final and read-only), reaches the end of
the quiz and finishes; the recruiter then reads a scorecard whose competencies carry an
estimate with a 95% band. axe-core finds no violation on the adaptive pages."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from assess.extensions import db
from assess.models import Attempt, AttemptState, Question, Role
from assess.services import adaptive
from tests.conftest import BankFactory, Factory, make_invitation
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import LiveServer, open_scorecard, screenshot, start_from_link
from tests.e2e.test_candidate_journey import answer_question
from tests.integration.candidate.test_adaptive import CAP, make_junior_adaptive


@pytest.fixture
def adaptive_app(live_app: Flask) -> Flask:
    """The live app with questions of every grade and an adaptive junior blueprint."""
    BankFactory().load()
    make_junior_adaptive()
    return live_app


def _latest(attempt_id: int) -> tuple[int, Question]:
    """The position and question of the attempt's newest question."""
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt is not None
    item = adaptive.question_items(attempt)[-1]
    question = db.session.get(Question, item.question_id)
    assert question is not None
    return item.position, question


def test_adaptive_assessment_to_a_scorecard_with_bands(
    adaptive_app: Flask, live_server: LiveServer, page: Any, browser: Any
) -> None:
    """Six questions one at a time, each answered right; the second is checked read-only
    after going on; the recruiter's scorecard shows both competencies with a band."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    _, token = make_invitation(factory, recruiter=recruiter)
    errors = start_from_link(page, live_server.url, token)
    assert "The questions come one at a time" in page.content()
    page.get_by_role("link", name="Go to the first item").click()
    db.session.expire_all()
    attempt_id = db.session.query(Attempt).one().id

    seen = []
    for number in range(1, 2 * CAP + 1):
        position, question = _latest(attempt_id)
        page.wait_for_url(f"**/attempt/{position}")
        assert page.get_by_role("heading", level=1).inner_text() == f"Question {number}"
        if question.key.endswith(("-901", "-902")):
            answer_question(page, question.type, question.key)
        else:
            page.get_by_label("b", exact=True).check()  # the graded questions' key
        if number == 2:
            assert_accessible(page, "an adaptive question")
            screenshot(page, "adaptive-question")
        seen.append(question.key)
        page.get_by_role("button", name="Save and go to the next question").click()
        page.wait_for_url(lambda url, here=position: not url.endswith(f"/attempt/{here}"))
        if number == 2:
            page.goto(f"{live_server.url}/attempt/2")
            assert "This answer is final" in page.content()
            assert page.locator("input[name=answer]:checked").is_disabled()
            assert page.get_by_role("button", name="Save and go to the next question").count() == 0
            assert_accessible(page, "a final adaptive answer")
            page.get_by_role("link", name="Next").click()

    page.wait_for_url("**/attempt")
    assert "You have answered every question chosen for you" in page.content()
    assert len(set(seen)) == 2 * CAP
    assert_accessible(page, "the overview after the adaptive quiz")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Finish the assessment").click()
    page.wait_for_url("**/attempt/done")
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).state is AttemptState.FINISHED  # type: ignore[union-attr]

    staff, desk = open_scorecard(browser, live_server.url, recruiter.email)
    for code in ("PY", "SQL"):
        row = desk.locator(f"tr[data-estimate={code}]")
        cells = row.get_by_role("cell").all_inner_texts()
        low, high = (float(v) for v in cells[1].split(" to "))
        assert low < float(cells[0]) < high and float(cells[0]) > 0
        assert cells[2].startswith(f"{CAP} ")
    assert "Adaptive assessment" in desk.inner_text("#adaptive-note")
    assert_accessible(desk, "an adaptive attempt's scorecard")
    screenshot(desk, "adaptive-scorecard")
    staff.close()
    assert errors == []
