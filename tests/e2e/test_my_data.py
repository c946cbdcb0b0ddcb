"""A candidate downloads their own data in a real browser (another candidate's records are
absent) and asks for it to be deleted; the page passes axe-core."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask

from assess.extensions import db
from assess.models import Invitation, Role
from assess.services import attempts
from tests.conftest import BankFactory, Factory, make_attempt
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import LiveServer


def test_the_candidate_downloads_their_own_data_and_asks_to_delete_it(
    live_app: Flask, live_server: LiveServer, page: Any, tmp_path: Path
) -> None:
    """The file holds Ada's name and answer, not Bob's; the request is then acknowledged."""
    BankFactory().load()
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    ada, token = make_attempt(factory, recruiter, "Ada Lovelace")
    bob, _ = make_attempt(factory, recruiter, "Bob Builder")
    for attempt, text in ((ada, "ada-answer"), (bob, "bob-answer")):
        item = next(i for i in attempt.items if i.question_id is not None)
        attempts.save_answer(db.session, attempt, item.position, text, 1)
    db.session.commit()
    page.goto(f"{live_server.url}/i/{token}")
    page.get_by_role("link", name="Your data and privacy").click()
    assert_accessible(page, "the candidate's data page")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download my data (JSON)").click()
    saved = tmp_path / "data.json"
    info.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["candidate"]["name"] == "Ada Lovelace"
    assert [a["response"] for a in data["attempt"]["answers"]] == ["ada-answer"]
    assert "Bob Builder" not in text and "bob-answer" not in text
    page.keyboard.press("Tab")
    page.get_by_label("I understand that my answers and code will be removed").check()
    page.get_by_role("button", name="Ask to delete my data").click()
    page.get_by_text("You asked for your data to be deleted").wait_for()
    db.session.expire_all()
    invitation = db.session.get(Invitation, ada.invitation_id)
    assert invitation is not None and invitation.erasure_requested_at is not None
