"""A candidate goes through the practice round with the keyboard alone (no mouse, no click
on anything), then starts the timed attempt; axe-core checks every practice page."""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa
from flask import Flask

from assess.extensions import db
from assess.models import Answer, Attempt, Invitation
from sandbox import SandboxConfig, docker_available
from tests.conftest import BankFactory, Factory, make_invitation, require
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import LiveServer

ORDER = ["read", "write", "run", "submit"]


def tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
                         selector):  # fmt: skip
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def check_answer(page: Any) -> str:
    """Press the check button from the keyboard and read what it says."""
    tab_to(page, "#check-answer")
    page.keyboard.press("Enter")
    result = page.locator("#check-result p").first
    result.wait_for(timeout=10_000)
    return str(page.locator("#check-result").inner_text())


def next_item(page: Any) -> None:
    """Follow the pager's Next link with the keyboard; axe-core checks the page reached."""
    tab_to(page, ".item-pager a.button:not(.button-secondary)")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page, f"the practice page {page.url.rsplit('/', 1)[-1]}")


def order_items(page: Any) -> None:
    """Put the ordering items right with their move buttons, from the keyboard."""
    for target, value in enumerate(ORDER):
        for _ in range(len(ORDER)):
            values = page.locator(".ordering-item").evaluate_all(
                "els => els.map(e => e.dataset.value)"
            )
            if values.index(value) <= target:
                break
            item = f'.ordering-item[data-value="{value}"] .move-up'
            tab_to(page, item)
            page.keyboard.press("Enter")


def test_the_practice_round_with_the_keyboard_only_then_the_timed_attempt(
    live_app: Flask, live_server: LiveServer, page: Any
) -> None:
    """Every question type answered and checked by keyboard, the coding task edited and its
    sample tests run by keyboard, back to the invitation, then the clock starts."""
    require(docker_available(SandboxConfig.from_env(os.environ)), "Docker sandbox")
    BankFactory().load()
    invitation, token = make_invitation(Factory())
    page.goto(f"{live_server.url}/i/{token}")
    tab_to(page, 'a[href$="/practice"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/practice/1")
    assert "not timed, not scored" in page.inner_text(".attempt-nav")

    # 1 single choice: the first option ("def"); arrow keys move within the radio group
    assert_accessible(page, "the practice round's single-choice question")
    tab_to(page, "#opt-0")
    page.keyboard.press("Space")
    assert "Right." in check_answer(page)
    next_item(page)
    # 2 several choices: list, dict and tuple; first a partly right answer
    tab_to(page, "#opt-0")
    page.keyboard.press("Space")
    assert "Partly right." in check_answer(page)
    for option in ("#opt-1", "#opt-3"):
        tab_to(page, option)
        page.keyboard.press("Space")
    assert "Right." in check_answer(page)
    next_item(page)
    # 3 a typed answer; Enter in the field checks it too
    tab_to(page, "#answer-text")
    page.keyboard.type("4")
    assert "Not quite." in check_answer(page)
    tab_to(page, "#answer-text")
    page.keyboard.press("Backspace")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    page.locator("#check-result p.ok").wait_for(timeout=10_000)
    next_item(page)
    # 4 ordering with the move buttons
    order_items(page)
    assert "Right." in check_answer(page)
    next_item(page)
    # 5 what the code prints
    tab_to(page, "#answer-text")
    page.keyboard.type("0\n2\n4")
    assert "Right." in check_answer(page)
    next_item(page)
    # 6 the line with the bug
    tab_to(page, "#answer-line")
    page.keyboard.type("5")
    assert "Right." in check_answer(page)
    next_item(page)

    # 7 the coding task: the real editor, left with Escape then Tab
    page.locator("#editor .cm-content").wait_for(timeout=10_000)
    tab_to(page, "#editor .cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type("def greet(name):\n")
    page.keyboard.type('return "Hello, " + name + "!"\n')
    page.keyboard.press("Escape")
    tab_to(page, "#run-samples")
    page.keyboard.press("Enter")
    page.locator("#run-result p.ok").wait_for(timeout=60_000)
    assert page.locator("#run-result td.ok").count() == 2

    # back to the invitation, then the timed attempt starts
    tab_to(page, 'form[action$="/practice/done"] [type="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "You have tried the practice round" in page.inner_text("main")
    tab_to(page, "#agree")
    page.keyboard.press("Space")
    tab_to(page, 'form:not([action]) [type="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/attempt")
    page.locator("#countdown").wait_for()
    assert ":" in page.inner_text("#countdown")
    db.session.expire_all()
    stored = db.session.get(Invitation, invitation.id)
    assert stored is not None and stored.practised_at is not None
    attempt = db.session.scalar(sa.select(Attempt).where(Attempt.invitation_id == invitation.id))
    assert attempt is not None and attempt.started_at >= stored.practised_at
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 0
