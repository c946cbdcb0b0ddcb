"""Each role's start page in a real browser: every line has something to show, the lines are
links that lead where they say, the funnel charts draw, and axe-core finds no violation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from assess.models import User
from tests.conftest import BankFactory, Factory
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import LiveServer, screenshot, sign_in
from tests.integration.start_page_world import Team, build_team


@pytest.fixture
def team(live_app: Flask) -> Team:
    """An organisation with data on every line, and another one beside it."""
    BankFactory().load()
    factory = Factory()
    home = build_team(factory, "Home")
    build_team(factory, "Rival")
    return home


def watch(page: Any) -> list[str]:
    """Collect console errors and failed responses of the page."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return errors


def start(page: Any, server: LiveServer, user: User) -> None:
    """Sign in as ``user`` and land on the start page."""
    sign_in(page, server.url, user.email)
    page.wait_for_url("**/dashboard")


def part(page: Any, name: str) -> Any:
    """The start page's region named ``name``."""
    region = page.get_by_role("region", name=name)
    assert region.count() == 1, name
    return region


def test_recruiter_start_page(live_server: LiveServer, page: Any, team: Team) -> None:
    """The funnel table and its charts, the waiting candidate, the expiring and unopened
    invitations and the latest scorecards; links lead to the assign page, the position
    and the scorecard."""
    errors = watch(page)
    start(page, live_server, team.recruiter)
    hiring = part(page, "Hiring: what needs you now")
    assert page.get_by_role("region", name="Interviews: what needs you now").count() == 0
    assert "Rival" not in page.inner_text("main")

    funnel = hiring.get_by_role("table", name=re.compile("Open positions"))
    row = funnel.get_by_role("row", name=re.compile("Home Backend"))
    assert row.get_by_role("cell").all_inner_texts()[:6] == ["7", "5", "5", "5", "0", "0"]
    chart = row.locator("canvas.funnel-chart")
    chart.wait_for(state="visible")
    assert chart.get_attribute("data-chart-ready") == "true"
    assert chart.get_attribute("aria-hidden") == "true"

    waiting = hiring.get_by_role("list", name=re.compile("waiting for an interviewer"))
    assert waiting.get_by_role("listitem").count() == 1
    expiring = hiring.get_by_role("list", name=re.compile("expiring within 48 hours"))
    assert "never opened" in expiring.inner_text()
    unopened = hiring.get_by_role("list", name=re.compile("never opened"))
    assert "Home Later" in unopened.inner_text()
    scorecards = hiring.get_by_role("list", name="Latest scorecards")
    assert scorecards.get_by_role("listitem").count() == 5
    assert_accessible(page, "the recruiter's start page")
    screenshot(page, "start-page-recruiter")

    waiting.get_by_role("link", name="Assign an interviewer to Home Candidate 2").click()
    page.wait_for_url(f"**/review/attempts/{team.waiting.id}/assign")
    page.go_back()
    part(page, "Hiring: what needs you now").get_by_role(
        "list", name=re.compile("expiring within 48 hours")
    ).get_by_role("link", name="Home Soon").click()
    page.wait_for_url(f"**/positions/{team.position.id}")
    assert "Home Soon" in page.inner_text("table")
    page.go_back()
    part(page, "Hiring: what needs you now").get_by_role(
        "list", name="Latest scorecards"
    ).get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/insights/attempts/\d+/scorecard$"))
    page.wait_for_load_state("networkidle")  # the chart's data and the icon before teardown
    assert errors == []


def test_interviewer_start_page(live_server: LiveServer, page: Any, team: Team) -> None:
    """The queue with how long each candidate waited, today's live interview; the queue's
    link opens the candidate on the review desk."""
    errors = watch(page)
    start(page, live_server, team.interviewer)
    interviews = part(page, "Interviews: what needs you now")
    assert page.get_by_role("region", name="Hiring: what needs you now").count() == 0
    queue = interviews.get_by_role("list", name=re.compile("Your queue"))
    lines = queue.get_by_role("listitem")
    assert lines.count() == 4
    assert re.search(r"waiting \w", lines.first.inner_text())
    live = interviews.get_by_role("list", name="Live interviews today")
    assert live.get_by_role("link", name="Home pairing").get_attribute("href") == (
        f"/live/{team.live_id}"
    )
    assert_accessible(page, "the interviewer's start page")
    screenshot(page, "start-page-interviewer")

    queue.get_by_role("link", name="Home Candidate 1").click()
    page.wait_for_url(f"**/review/attempts/{team.queued.id}")
    assert "Home Candidate 1" in page.inner_text("h1")
    assert errors == []


def test_admin_start_page(live_server: LiveServer, page: Any, team: Team) -> None:
    """The platform part (grading, bank, failed sign-ins) first, then the other parts; the
    flagged questions lead to the item statistics, a failed sign-in to the staff page."""
    page.goto(live_server.url + "/login")
    page.get_by_label("Email").fill(team.recruiter.email)
    page.get_by_label("Password").fill("certainly not the password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").wait_for()
    errors = watch(page)
    start(page, live_server, team.admin)
    platform = part(page, "The platform: what needs you now")
    part(page, "Hiring: what needs you now")
    part(page, "Interviews: what needs you now")
    grading = platform.get_by_role("list", name="Grading")
    assert "Queued submissions: 1" in grading.inner_text()
    assert "failed 1, retried 1" in grading.inner_text()
    assert "Disk left:" in grading.inner_text()
    bank = platform.get_by_role("list", name="Question bank")
    assert re.search(r"Bank version [0-9a-f]{12}", bank.inner_text())
    sign_ins = platform.get_by_role("list", name=re.compile("failed sign-ins"))
    assert team.recruiter.email in sign_ins.inner_text()
    assert "Rival" not in page.inner_text("main")
    assert_accessible(page, "the admin's start page")
    screenshot(page, "start-page-admin")

    bank.get_by_role("link", name="Flagged questions: 4").click()
    page.wait_for_url("**/insights/items")
    page.go_back()
    part(page, "The platform: what needs you now").get_by_role(
        "list", name=re.compile("failed sign-ins")
    ).get_by_role("link", name=team.recruiter.email).click()
    page.wait_for_url("**/admin/users")
    assert errors == []
