"""A blueprint may allow a break between the quiz and the coding tasks (off by default):
the clock stops during the break, up to its limit; each section's items open only in it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.errors import AttemptClosed
from assess.extensions import db
from assess.models import Answer, Attempt, AttemptState, GradeCode, Organization, Role, utcnow
from assess.services import accommodations, attempts, blueprints, sections
from assess.services.scorecards import close_overdue_and_score
from tests.conftest import Auth, BankFactory, Factory, csrf_token, make_attempt
from tests.integration.candidate.test_attempt_flow import api, open_invitation, question_positions

BREAK = 10


@pytest.fixture
def sectioned(app: Flask, bank: BankFactory, client: FlaskClient) -> tuple[Attempt, str]:
    """A started junior attempt whose blueprint allows a 10-minute break, opened in
    ``client``, and its invitation's token."""
    default = blueprints.default_for(db.session, GradeCode.JUNIOR)
    assert default is not None
    default.break_minutes = BREAK
    db.session.commit()
    attempt, token = make_attempt(Factory())
    open_invitation(client, token)
    return attempt, token


def _task_position(attempt: Attempt) -> int:
    """Where the attempt's coding task is."""
    return next(i.position for i in attempt.items if i.task_id)


def _back(attempt: Attempt, minutes: float) -> None:
    """Move the attempt's times ``minutes`` into the past (as if that much time went by)."""
    shift = timedelta(minutes=minutes)
    for name in ("started_at", "deadline_at", "break_started_at", "break_ended_at"):
        value: datetime | None = getattr(attempt, name)
        if value is not None:
            setattr(attempt, name, value - shift)
    db.session.commit()


def _take_break(client: FlaskClient) -> None:
    """End the quiz section from the overview's form."""
    form = client.get("/attempt").text.split('class="section-form"')[1]
    sent = client.post("/attempt/break", data={"csrf_token": csrf_token(form)})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/attempt/break")


def _resume_after(client: FlaskClient, page: str, attempt: Attempt, minutes: float) -> Attempt:
    """Let ``minutes`` of break go by, press "Start the coding tasks" on the break ``page``
    once, and return the attempt as stored, now in its coding section."""
    _back(attempt, minutes)
    resumed = client.post("/attempt/resume", data={"csrf_token": csrf_token(page)})
    assert resumed.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Attempt, attempt.id)
    assert stored is not None and sections.section(stored) == sections.CODING
    return stored


def _about(moved: timedelta, minutes: float) -> bool:
    """Whether the deadline moved by ``minutes``, give or take the test's own seconds."""
    return abs(moved - timedelta(minutes=minutes)) <= timedelta(seconds=5)


def test_without_a_break_there_are_no_sections(
    app: Flask, bank: BankFactory, client: FlaskClient
) -> None:
    """The default: every item opens at once, no section form is shown."""
    attempt, token = make_attempt(Factory())
    open_invitation(client, token)
    assert attempt.break_minutes == 0 and sections.section(attempt) is None
    page = client.get("/attempt").text
    assert "section-form" not in page
    assert client.get(f"/attempt/{_task_position(attempt)}").status_code == 200
    assert client.post("/attempt/break", data={"csrf_token": csrf_token(page)}).status_code == 409


def test_the_quiz_comes_first_and_is_final_after_the_break(
    sectioned: tuple[Attempt, str], client: FlaskClient
) -> None:
    """In the quiz section the tasks are locked; ending it starts the break (the clock
    stopped, the answers final); starting the coding section moves the deadline by the time
    the break took, and the tasks open."""
    attempt, token = sectioned
    assert attempt.break_minutes == BREAK and sections.section(attempt) == sections.QUIZ
    landing_rule = "you may take a break of up to 10 minutes"
    assert landing_rule in client.get(f"/i/{token}").text
    task = _task_position(attempt)
    page = client.get("/attempt").text
    assert "after the break" in page and f'href="/attempt/{task}"' not in page
    assert client.get(f"/attempt/{task}").headers["Location"].endswith("/attempt")
    draft = api(client, f"/attempt/api/items/{task}/draft", {"code": "x = 1\n", "revision": 1})
    assert draft.status_code == 409 and draft.json["error"]["code"] == "wrong_section"
    question = question_positions(attempt)["py-j-901"]
    saved = api(client, f"/attempt/api/items/{question}/answer", {"response": 0, "revision": 1})
    assert saved.status_code == 200

    _take_break(client)
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt is not None and sections.section(attempt) == sections.BREAK
    deadline = attempt.deadline_at
    page = client.get("/attempt/break")
    assert page.status_code == 200 and "The clock is stopped" in page.text
    assert client.get(f"/attempt/{question}").headers["Location"].endswith("/attempt/break")
    late = api(client, f"/attempt/api/items/{question}/answer", {"response": 1, "revision": 2},
               page_url="/attempt/break")  # fmt: skip
    assert late.status_code == 409 and late.json["error"]["code"] == "wrong_section"
    clock = client.get("/attempt/api/clock").json
    assert clock["section"] == "break"

    attempt = _resume_after(client, page.text, attempt, 3)  # three minutes of break
    assert _about(attempt.deadline_at - (deadline - timedelta(minutes=3)), 3)
    assert client.get(f"/attempt/{task}").status_code == 200
    assert api(client, f"/attempt/api/items/{task}/draft",
               {"code": "x = 2\n", "revision": 2}).status_code == 200  # fmt: skip
    again = api(client, f"/attempt/api/items/{question}/answer", {"response": 1, "revision": 3})
    assert again.status_code == 409
    answer = db.session.scalar(sa.select(Answer).where(Answer.attempt_id == attempt.id))
    assert answer is not None and answer.revision == 1  # the quiz answer stayed final
    assert client.get("/attempt/break").headers["Location"].endswith("/attempt")


def test_a_break_ends_by_itself_at_its_limit(
    sectioned: tuple[Attempt, str], client: FlaskClient
) -> None:
    """A break longer than the limit stops the clock for the limit only: the deadline moves
    by exactly ten minutes, the coding section runs, and the sweep closes the attempt once
    the moved deadline has passed (never during the break)."""
    attempt, _ = sectioned
    attempt.deadline_at = utcnow() + timedelta(minutes=5)  # five minutes left
    db.session.commit()
    _take_break(client)
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt is not None
    deadline = attempt.deadline_at
    left = deadline - attempt.break_started_at  # type: ignore[operator]
    # more than the time left passes while on the break: not due, the clock is stopped
    _back(attempt, 9)
    assert close_overdue_and_score(db.session) == 0
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt is not None and attempt.state is AttemptState.STARTED
    assert sections.section(attempt) == sections.BREAK
    _back(attempt, 2)  # eleven minutes: past the limit
    assert sections.section(attempt) == sections.CODING
    assert client.get("/attempt/break").headers["Location"].endswith("/attempt")
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt is not None and attempt.break_ended_at is not None
    assert attempt.break_ended_at - attempt.break_started_at == timedelta(minutes=BREAK)
    assert attempt.deadline_at - attempt.break_started_at == left + timedelta(minutes=BREAK)
    _back(attempt, left.total_seconds() / 60 + 2)
    assert close_overdue_and_score(db.session) == 1
    db.session.expire_all()
    closed = db.session.get(Attempt, attempt.id)
    assert closed is not None and closed.state is AttemptState.EXPIRED
    assert closed.finished_at == closed.deadline_at


def test_section_changes_happen_once_and_only_while_open(
    sectioned: tuple[Attempt, str], client: FlaskClient
) -> None:
    """A second break or a resume from a stale copy changes nothing more; a finished
    attempt takes no section change."""
    attempt, _ = sectioned
    now = utcnow()
    sections.take_break(db.session, attempt, now)
    db.session.commit()
    with pytest.raises(sections.WrongSection):
        sections.take_break(db.session, attempt, now)
    stale_deadline = attempt.deadline_at
    sections.resume(db.session, attempt, now + timedelta(minutes=2))
    db.session.commit()
    moved = attempt.deadline_at
    assert moved == stale_deadline + timedelta(minutes=2)
    sections.resume(db.session, attempt, now + timedelta(minutes=4))  # already resumed
    db.session.commit()
    assert attempt.deadline_at == moved
    attempts.finish_attempt(db.session, attempt)
    db.session.commit()
    with pytest.raises(AttemptClosed):
        sections.resume(db.session, attempt)


def test_an_attempt_with_one_kind_of_item_has_no_break(app: Flask, bank: BankFactory) -> None:
    """Questions only (no task drawn): one section, whatever the blueprint says."""
    default = blueprints.default_for(db.session, GradeCode.JUNIOR)
    assert default is not None
    default.break_minutes = BREAK
    default.task_count = 0
    db.session.commit()
    attempt, _ = make_attempt(Factory())
    assert all(i.question_id for i in attempt.items) and attempt.break_minutes == 0


def test_the_admin_sets_the_break_within_its_bounds(
    app: Flask, client: FlaskClient, auth: Auth, bank: BankFactory
) -> None:
    """0 to 60 minutes; more is refused with the reason and changes nothing."""
    admin = Factory().user(Role.ADMIN)
    auth.login(admin.email)
    page = client.get("/admin/blueprints/junior").text
    assert "Break between the quiz and the coding tasks" in page
    fields = {
        "csrf_token": csrf_token(page),
        "time_limit_minutes": "60",
        "task_kinds": "implement",
        "task_count": "1",
        "count_PY": "2",
        "count_SQL": "2",
        "count_ASYNC": "0",
    }
    refused = client.post("/admin/blueprints/junior", data={**fields, "break_minutes": "61"})
    assert refused.status_code == 422
    assert blueprints.own_for(db.session, admin.organization_id, GradeCode.JUNIOR) is None
    saved = client.post("/admin/blueprints/junior", data={**fields, "break_minutes": "15"})
    assert saved.status_code == 302
    own = blueprints.own_for(db.session, admin.organization_id, GradeCode.JUNIOR)
    assert own is not None and own.break_minutes == 15
    assert "break of up to 15 min" in client.get("/admin/blueprints").text


def test_an_extension_during_the_break_keeps_resume_working(
    sectioned: tuple[Attempt, str], client: FlaskClient
) -> None:
    """Extra time granted while the candidate is on the break moves the deadline, and the
    first press of "Start the coding tasks" from the break page shown before it still
    starts the coding section, with the break's length added on top of the extension."""
    attempt, _ = sectioned
    _take_break(client)
    page = client.get("/attempt/break")
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt is not None
    home = db.session.get(Organization, attempt.invitation.position.organization_id)
    recruiter = Factory().user(Role.RECRUITER, organization=home)
    before = attempt.deadline_at
    accommodations.extend(db.session, attempt, 15, "a documented accommodation", recruiter)
    db.session.commit()
    attempt = _resume_after(client, page.text, attempt, 2)
    assert _about(attempt.deadline_at - (before - timedelta(minutes=2)), 15 + 2)
