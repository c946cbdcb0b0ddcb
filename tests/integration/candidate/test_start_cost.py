"""A start's pages (the link, the start, the overview) run a bounded number of statements,
whatever the attempt holds, and the navigation still shows every item's state."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import (
    Answer,
    Attempt,
    CodeDraft,
    Invitation,
    Submission,
    SubmissionKind,
    utcnow,
)
from assess.services import attempts
from tests.conftest import BankFactory, Factory, csrf_token, make_invitation


@contextmanager
def statements() -> Iterator[list[str]]:
    """The statements run inside the block, each as its verb and, for a write, its table
    (``SELECT``, ``INSERT attempt_item``); the throttle's lock is ``LOCK`` in every
    database (SQLite takes it with an update of no row)."""
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "pg_advisory_xact_lock" in statement or statement.endswith("WHERE ? = 1"):
            seen.append("LOCK")
            return
        write = re.match(r"\s*(INSERT INTO|UPDATE)\s+(\w+)", statement)
        seen.append(f"{write.group(1).split()[0]} {write.group(2)}" if write else "SELECT")

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)


def test_a_start_runs_a_few_statements_a_page(
    bank: BankFactory, factory: Factory, client: FlaskClient
) -> None:
    """The link's page: the throttle (lock, count, record) then one read of the invitation
    with its position and attempt, the competencies, the blueprint, the organisation and the
    first visit's time. The start: the throttle, the invitation, the draw (blueprint,
    competencies, questions, tasks, option counts) and three writes, the items in one. The
    overview: the attempt with its invitation and position, then the items' states."""
    invitation, token = make_invitation(factory)
    with statements() as landing:
        page = client.get(f"/i/{token}")
    assert page.status_code == 200
    with statements() as start:
        started = client.post(
            f"/i/{token}", data={"csrf_token": csrf_token(page.text), "agree": "y"}
        )
    assert started.status_code == 302
    with statements() as overview:
        assert client.get(started.headers["Location"]).status_code == 200
    db.session.expire_all()
    attempt = db.session.get(Invitation, invitation.id).attempt
    assert attempt is not None and len(attempt.items) > 3
    assert db.session.get(Invitation, invitation.id).opened_at is not None
    assert landing == [
        "LOCK", "SELECT", "INSERT throttle_event",  # the throttle
        "SELECT", "UPDATE invitation",  # the invitation, its position and attempt; the visit
        "SELECT", "SELECT", "SELECT",  # competencies, blueprint, organisation (the notice)
    ]  # fmt: skip
    assert start[:4] == ["LOCK", "SELECT", "INSERT throttle_event", "SELECT"]
    assert [s for s in start[4:] if s != "SELECT"] == ["INSERT attempt", "INSERT attempt_item"]
    assert len(start) <= 12, start
    assert overview == ["SELECT", "SELECT"]


def test_the_overview_reads_the_same_whatever_the_attempt_holds(
    bank: BankFactory, factory: Factory, client: FlaskClient
) -> None:
    """Answers, drafts and submissions do not add statements to an attempt page."""
    invitation, token = make_invitation(factory)
    page = client.get(f"/i/{token}")
    client.post(f"/i/{token}", data={"csrf_token": csrf_token(page.text), "agree": "y"})
    with statements() as empty:
        client.get("/attempt")
    attempt = db.session.get(Invitation, invitation.id).attempt
    assert attempt is not None
    _fill(attempt)
    with statements() as full:
        client.get("/attempt")
    assert full == empty == ["SELECT", "SELECT"]


def _fill(attempt: Attempt, submit: bool = True) -> dict[str, int]:
    """Give the attempt's questions one answer in every state and its task a draft and a
    sample run, then (``submit``) a final submission; the positions by state."""
    questions = [i for i in attempt.items if i.question_id is not None]
    task = next(i for i in attempt.items if i.task_id is not None)
    assert len(questions) >= 4
    answered, cleared, final, unanswered = questions[:4]
    db.session.add_all([
        Answer(attempt_id=attempt.id, question_id=answered.question_id, response="x", revision=1),
        Answer(attempt_id=attempt.id, question_id=cleared.question_id, response=None, revision=2),
        CodeDraft(attempt_id=attempt.id, task_id=task.task_id, code="x = 1"),
        # a sample run is not a submission
        Submission(attempt_id=attempt.id, task_id=task.task_id, kind=SubmissionKind.SAMPLE,
                   code="x = 3"),
    ])  # fmt: skip
    if submit:
        db.session.add(Submission(attempt_id=attempt.id, task_id=task.task_id,
                                  kind=SubmissionKind.FINAL, code="x = 2"))  # fmt: skip
    final.final_at = utcnow()
    db.session.commit()
    return {
        "answered": answered.position, "cleared": cleared.position, "final": final.position,
        "unanswered": unanswered.position, "task": task.position,
    }  # fmt: skip


def test_every_state_of_the_navigation(
    bank: BankFactory, factory: Factory, client: FlaskClient
) -> None:
    """Answered, cleared (saved as nothing: unanswered again), final, unanswered; a task
    drafted (answered), then submitted: each item once, in order, numbered as the candidate
    counts them (questions from 1, then tasks from 1), tasks under their titles."""
    invitation, token = make_invitation(factory)
    page = client.get(f"/i/{token}")
    client.post(f"/i/{token}", data={"csrf_token": csrf_token(page.text), "agree": "y"})
    attempt = db.session.get(Invitation, invitation.id).attempt
    assert attempt is not None
    at = _fill(attempt, submit=False)

    def states() -> dict[int, attempts.ItemState]:
        db.session.expire_all()
        found = db.session.get(Attempt, attempt.id)
        assert found is not None
        return {s.position: s for s in attempts.item_states(db.session, found)}

    drafted = states()
    assert list(drafted) == [i.position for i in attempt.items]
    assert {name: drafted[position].state for name, position in at.items()} == {
        "answered": "answered", "cleared": "unanswered", "final": "final",
        "unanswered": "unanswered", "task": "answered",
    }  # fmt: skip
    html = client.get("/attempt").text
    assert 'class="item-submitted' not in html and html.count('class="item-final') == 1
    task_id = next(i.task_id for i in attempt.items if i.position == at["task"])
    db.session.add(Submission(attempt_id=attempt.id, task_id=task_id, kind=SubmissionKind.FINAL,
                              code="x = 2"))  # fmt: skip
    db.session.commit()
    submitted = states()
    assert submitted[at["task"]].state == "submitted"
    assert {p: s for p, s in submitted.items() if p != at["task"]} == {
        p: s for p, s in drafted.items() if p != at["task"]
    }
    questions = [s for s in submitted.values() if s.kind == "question"]
    tasks = [s for s in submitted.values() if s.kind == "task"]
    assert [s.number for s in questions] == list(range(1, len(questions) + 1))
    assert [s.number for s in tasks] == list(range(1, len(tasks) + 1))  # Task 1, not 5
    assert {s.title for s in questions} == {""} and all(s.title for s in tasks)
    html = client.get("/attempt").text
    assert html.count('class="item-submitted') == 1 and "Task 1" in html
