"""A recruiter gives a candidate extra time in a real browser: before the start (the attempt
opens with it) and while the candidate works (the candidate's countdown moves without a
reload); both pages pass axe-core."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from assess.extensions import db
from assess.models import Attempt, Role
from tests.conftest import BankFactory, Factory, make_invitation
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import LiveServer, screenshot, sign_in


def minutes_left(page: Any) -> int:
    """The whole minutes the candidate's countdown shows (h:mm:ss or m:ss)."""
    text = page.locator("#countdown").inner_text()
    parts = [int(p) for p in re.findall(r"\d+", text)]
    return parts[0] * 60 + parts[1] if len(parts) == 3 else parts[0]


def test_extra_time_before_and_during_the_attempt(
    live_app: Flask, live_server: LiveServer, page: Any, browser: Any
) -> None:
    """25% before the start: the 30-minute attempt opens with 38 minutes; 20 more minutes
    while it runs: the open page shows them within seconds, with no reload."""
    BankFactory().load()
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    invitation, token = make_invitation(factory, recruiter=recruiter)
    staff = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    desk = staff.new_page()
    sign_in(desk, live_server.url, recruiter.email)
    desk.goto(f"{live_server.url}/positions/{invitation.position_id}")
    desk.get_by_role("link", name="Extra time").click()
    assert_accessible(desk, "extra time before the start")
    desk.get_by_label("Extra time as a share of the time limit (%)").fill("25")
    desk.get_by_label("Extra minutes").fill("0")
    desk.get_by_label("Why").fill("Agreed adjustment for a documented need.")
    desk.get_by_role("button", name="Save the extra time").click()
    assert "will start with 8 extra minutes" in desk.content()

    page.goto(f"{live_server.url}/i/{token}")
    page.get_by_label("I have read the rules").check()
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url("**/attempt")
    assert 36 <= minutes_left(page) <= 38
    loads: list[str] = []
    page.on("framenavigated", lambda frame: loads.append(frame.url))

    desk.reload()
    desk.get_by_label("Minutes to add").fill("20")
    desk.get_by_label("Why").fill("The candidate's connection dropped for a while.")
    desk.get_by_role("button", name="Extend the attempt").click()
    assert "the candidate's countdown follows" in desk.content()
    assert_accessible(desk, "extra time while the attempt runs")
    screenshot(desk, "recruiter-extra-time")
    page.wait_for_function(
        "() => { const t = document.getElementById('countdown').textContent;"
        " return /^0?:?5[5-8]:/.test(t) || /^5[5-8]:/.test(t); }",
        timeout=20_000,
    )
    assert 55 <= minutes_left(page) <= 58
    assert loads == []
    db.session.expire_all()
    attempt = db.session.query(Attempt).one()
    assert attempt.extra_minutes == 28
    staff.close()
