"""The review desk replays how a candidate wrote a coding task: the real editor records each
change with autosave, across a reload, and playback shows the intermediate states in order."""

from __future__ import annotations

import itertools
import time
from typing import Any

from flask import Flask

from assess.extensions import db
from assess.models import Attempt, CodeDraft, Role
from assess.services import attempts, review
from tests.conftest import BankFactory, Factory, make_invitation
from tests.e2e.conftest import LiveServer, sign_in


def _type_and_save(page: Any, text: str) -> None:
    """Type at the end of the editor and wait until the server holds the typed code."""
    page.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text, delay=15)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        db.session.expire_all()
        draft = db.session.query(CodeDraft).one_or_none()
        if draft is not None and draft.code.endswith(text):
            page.locator("#save-status[data-kind=saved]").wait_for(timeout=10_000)
            return
        time.sleep(0.1)
    raise AssertionError(f"the draft never ended with {text!r}")


def test_the_desk_replays_typing_across_a_reload(
    live_app: Flask, live_server: LiveServer, page: Any, browser: Any
) -> None:
    """Two editor sessions (a reload between them) are replayed in order: every state is an
    earlier state of the code, the typed text grows step by step, and it ends in the code."""
    BankFactory().load()
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    interviewer = factory.user(Role.INTERVIEWER)
    _, token = make_invitation(factory, recruiter=recruiter)
    page.goto(f"{live_server.url}/i/{token}")
    page.get_by_label("I have read the rules").check()
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url("**/attempt")
    db.session.expire_all()
    attempt = db.session.query(Attempt).one()
    item = next(i for i in attempt.items if i.task_id)
    page.goto(f"{live_server.url}/attempt/{item.position}")
    _type_and_save(page, "\n# first</script>")
    page.reload()
    _type_and_save(page, "\n# second")
    db.session.expire_all()
    final = db.session.query(CodeDraft).one().code
    assert final.endswith("\n# first</script>\n# second")

    attempts.finish_attempt(db.session, db.session.merge(attempt))
    review.assign(db.session, db.session.merge(attempt), interviewer.id, recruiter)
    db.session.commit()
    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = staff.new_page()
    sign_in(desk, live_server.url, interviewer.email)
    desk.goto(f"{live_server.url}/review/attempts/{attempt.id}/tasks/{item.task_id}/replay")
    desk.wait_for_function("() => window.AssessReplay !== undefined")
    length = desk.evaluate("window.AssessReplay.length")
    typed = len("\n# first</script>") + len("\n# second")
    assert length == typed + 2  # each keystroke, plus the start of each of the two sessions
    states = [desk.evaluate(f"window.AssessReplay.textAt({i})") for i in range(length)]
    assert states[-1] == final
    lengths = [len(s) for s in states]
    assert lengths[1:] != sorted(lengths[1:], reverse=True)
    # within each session each state adds one typed character to the one before
    growing = [b.startswith(a) and len(b) == len(a) + 1 for a, b in itertools.pairwise(states)]
    assert growing.count(False) == 1  # the second session starts from its own base
    # the slider shows a middle state as text, never as markup
    desk.evaluate("window.AssessReplay.show(20)")
    assert desk.inner_text("#replay-code") == states[20]
    assert desk.locator("#replay-code script").count() == 0
    assert "Editor opened (session 2)" in desk.inner_text("#replay-events")
    staff.close()
