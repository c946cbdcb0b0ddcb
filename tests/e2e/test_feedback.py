"""After finishing, a candidate answers the two-question survey in a real browser (keyboard
only); the recruiter then finds it in the position's summary, not linked to the candidate;
both pages pass axe-core."""

from __future__ import annotations

from typing import Any

from flask import Flask

from assess.extensions import db
from assess.models import CandidateFeedback, Role, utcnow
from tests.conftest import BankFactory, Factory, make_attempt
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import LiveServer, sign_in


def test_the_survey_reaches_the_recruiters_summary(
    live_app: Flask, live_server: LiveServer, page: Any, browser: Any
) -> None:
    """Fairness 4 and a comment, sent from the thank-you page; the summary shows both."""
    BankFactory().load()
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    attempt, token = make_attempt(factory, recruiter, "Sue Survey")
    position_id = attempt.invitation.position_id
    for fairness in (5, 3):  # two earlier answers: the summary shows from three on
        db.session.add(CandidateFeedback(position_id=position_id, fairness=fairness, comment=None,
                                         day=utcnow().date()))  # fmt: skip
    db.session.commit()
    page.goto(f"{live_server.url}/i/{token}")
    page.get_by_role("button", name="Continue the assessment").click()
    page.wait_for_url("**/attempt")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Finish the assessment").click()
    page.wait_for_url("**/attempt/done")
    assert_accessible(page, "the thank-you page with the survey")
    page.get_by_label("4", exact=True).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("Clear tasks; the <editor> took a minute to learn.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_text("Thank you for your feedback.").wait_for()

    staff = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    desk = staff.new_page()
    sign_in(desk, live_server.url, recruiter.email)
    desk.goto(f"{live_server.url}/positions/{position_id}")
    section = desk.locator("#candidate-feedback")
    section.get_by_text("3 finished candidates answered the survey.").wait_for()
    assert "How fair it felt, on average: 4.0 out of 5. 3 ratings." in section.inner_text()
    assert "the <editor> took a minute" in section.inner_text()
    assert "Sue Survey" not in section.inner_text()
    assert_accessible(desk, "the position page with feedback")
    staff.close()
