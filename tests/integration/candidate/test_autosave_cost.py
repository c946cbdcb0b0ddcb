"""Autosaves cost one read and one write, and keep every guarantee while doing so."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import (
    Answer,
    Attempt,
    AttemptItem,
    CodeChange,
    CodeDraft,
    CodingTask,
    Invitation,
    Question,
    utcnow,
)
from tests.conftest import BankFactory, Factory, csrf_token, make_attempt
from tests.integration.candidate.test_attempt_flow import open_invitation, question_positions


def page_token(client: FlaskClient) -> str:
    """The CSRF token the attempt's pages give their scripts."""
    html = client.get("/attempt").text
    meta = re.search(r'name="csrf-token" content="([^"]+)"', html)
    return meta.group(1) if meta else csrf_token(html)


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements run inside the block, in order."""
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)


@contextmanager
def loaded_objects() -> Iterator[list[str]]:
    """The ORM objects built from rows inside the block, by class name."""
    built: list[str] = []

    def note(target: Any, context: Any) -> None:
        built.append(type(target).__name__)

    models = (Attempt, AttemptItem, Question, Invitation, CodingTask)
    for model in models:
        sa.event.listen(model, "load", note)
    try:
        yield built
    finally:
        for model in models:
            sa.event.remove(model, "load", note)


def post(client: FlaskClient, token: str, url: str, body: object) -> Any:
    """POST JSON as the page's script does."""
    return client.post(url, json=body, headers={"X-CSRFToken": token})


def task_position(attempt: Attempt) -> int:
    """The position of the attempt's first coding task."""
    return next(i.position for i in attempt.items if i.task_id)


def test_an_answer_save_reads_once_and_writes_once(started: Attempt, client: FlaskClient) -> None:
    """Attempt, invitation, item and question come in one statement, as plain columns; the
    newer answer is one UPDATE; the first save of an item adds the INSERT; no cookie is
    signed again."""
    pos = question_positions(started)["sql-j-901"]
    token = page_token(client)
    url = f"/attempt/api/items/{pos}/answer"
    with statements() as first:
        response = post(client, token, url, {"response": "3", "revision": 1})
    assert response.status_code == 200 and response.json["revision"] == 1
    assert first == ["SELECT", "UPDATE", "INSERT"]
    db.session.expire_all()  # the test's own objects are not what the save reads
    with statements() as again, loaded_objects() as built:
        response = post(client, token, url, {"response": "4", "revision": 2})
    assert response.status_code == 200 and response.json["revision"] == 2
    assert again == ["SELECT", "UPDATE"]
    assert built == []  # plain columns: no tracked objects are built for a save
    assert "Set-Cookie" not in response.headers
    db.session.expire_all()
    stored = db.session.scalar(sa.select(Answer).where(Answer.attempt_id == started.id))
    assert stored is not None and (stored.response, stored.revision) == ("4", 2)


def test_a_draft_save_reads_once_and_writes_once(started: Attempt, client: FlaskClient) -> None:
    """A draft is one read and one write; with the editor's changes, the recording's size
    check and its row join the same transaction."""
    url = f"/attempt/api/items/{task_position(started)}/draft"
    token = page_token(client)
    assert post(client, token, url, {"code": "x = 1\n", "revision": 1}).status_code == 200
    with statements() as seen:
        response = post(client, token, url, {"code": "x = 2\n", "revision": 2})
    assert response.status_code == 200 and response.json["revision"] == 2
    assert seen == ["SELECT", "UPDATE"]
    changes = {"stream": "0123456789abcdef", "seq": 0, "base": "x = 2\n", "ops": [[5, 4, 5, "3"]]}
    with statements() as recorded:
        response = post(client, token, url, {"code": "x = 3\n", "revision": 3, "changes": changes})
    assert response.status_code == 200
    assert recorded == ["SELECT", "SELECT", "INSERT", "UPDATE"]
    db.session.expire_all()
    assert db.session.scalar(sa.select(CodeDraft.code)) == "x = 3\n"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CodeChange)) == 1


def test_a_late_older_revision_reports_the_newer_one_kept(
    started: Attempt, client: FlaskClient
) -> None:
    """A retried save that arrives after a newer one changes nothing and says what is kept."""
    pos = question_positions(started)["sql-j-901"]
    token = page_token(client)
    answer = f"/attempt/api/items/{pos}/answer"
    assert post(client, token, answer, {"response": "3", "revision": 10}).json["revision"] == 10
    late = post(client, token, answer, {"response": "7", "revision": 9})
    assert late.status_code == 200 and late.json["revision"] == 10
    draft = f"/attempt/api/items/{task_position(started)}/draft"
    assert post(client, token, draft, {"code": "new", "revision": 5}).json["revision"] == 5
    assert post(client, token, draft, {"code": "old", "revision": 4}).json["revision"] == 5
    db.session.expire_all()
    assert db.session.scalar(sa.select(Answer.response)) == "3"
    assert db.session.scalar(sa.select(CodeDraft.code)) == "new"


def test_saves_check_the_holder_the_item_and_the_clock(
    app: Flask, bank: BankFactory, factory: Factory, client: FlaskClient
) -> None:
    """The one read still refuses a forged or withdrawn hold (403), a missing item (404), the
    wrong kind of item (422) and a closed attempt (409), and saves nothing then."""
    attempt, token = make_attempt(factory)
    open_invitation(client, token)
    question = question_positions(attempt)["sql-j-901"]
    task = task_position(attempt)
    csrf = page_token(client)
    missing = max(i.position for i in attempt.items) + 1
    assert post(client, csrf, f"/attempt/api/items/{missing}/answer", {}).status_code == 404
    assert (
        post(client, csrf, f"/attempt/api/items/{missing}/draft", {"code": ""}).status_code == 404
    )
    wrong = post(client, csrf, f"/attempt/api/items/{task}/answer", {"response": "1"})
    assert wrong.status_code == 422
    wrong = post(client, csrf, f"/attempt/api/items/{question}/draft", {"code": "x"})
    assert wrong.status_code == 422

    forged = app.test_client()
    with forged.session_transaction() as session:
        session["candidate"] = {"attempt": attempt.id, "key": "guessed"}
    with client.session_transaction() as session:
        forged_csrf = session.get("csrf_token")
    with forged.session_transaction() as session:
        session["csrf_token"] = forged_csrf
    for url, body in ((f"/attempt/api/items/{question}/answer", {"response": "1"}),
                      (f"/attempt/api/items/{task}/draft", {"code": "x"})):  # fmt: skip
        assert post(forged, csrf, url, body).status_code == 403

    invitation = db.session.get(Invitation, attempt.invitation_id)
    assert invitation is not None
    invitation.revoked_at = utcnow()
    db.session.commit()
    assert post(client, csrf, f"/attempt/api/items/{question}/answer", {}).status_code == 403
    invitation.revoked_at = None
    stored = db.session.get(Attempt, attempt.id)
    assert stored is not None
    stored.deadline_at = utcnow() - timedelta(seconds=30)
    stored.started_at = stored.deadline_at - timedelta(minutes=30)
    db.session.commit()
    late = post(client, csrf, f"/attempt/api/items/{task}/draft", {"code": "x", "revision": 1})
    assert late.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CodeDraft)) == 0
