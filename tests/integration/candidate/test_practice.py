"""The practice round before the clock: every question type and a tiny coding task on the
assessment's own widgets, checked for the candidate only, never scored, and all that staff
learn is whether the candidate practised."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.candidate import practice
from assess.extensions import db
from assess.models import Answer, Attempt, Invitation, Role, Submission
from assess.services import invitations
from tests.conftest import Auth, BankFactory, Factory, csrf_token, make_invitation
from tests.integration.candidate.test_attempt_flow import open_invitation

RIGHT = {
    "single": 0,
    "multiple": [0, 1, 3],
    "exact": " 3 ",
    "ordering": ["read", "write", "run", "submit"],
    "code-output": "0\n2\n4",
    "bug-line": 5,
}


def _csrf(html: str) -> str:
    """The page's CSRF token for its scripts."""
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match
    return match.group(1)


def _check(client: FlaskClient, token: str, position: int, response: object) -> dict:
    """Check a practice answer as the page's script does."""
    page = client.get(f"/i/{token}/practice/{position}")
    sent = client.post(f"/i/{token}/practice/{position}/check", json={"response": response},
                       headers={"X-CSRFToken": _csrf(page.text)})  # fmt: skip
    assert sent.status_code == 200, sent.text
    return sent.json  # type: ignore[return-value]


def test_every_question_type_is_practised_and_said_right_or_not(
    app: Flask, client: FlaskClient, bank: BankFactory
) -> None:
    """One question of each type on the real widgets; a right answer is said right, a wrong
    one not, a partly right one partly; the round saves no answer and starts no clock."""
    factory = Factory()
    invitation, token = make_invitation(factory, factory.user(Role.RECRUITER))
    landing = client.get(f"/i/{token}")
    assert "Try the practice round" in landing.text
    first = client.get(f"/i/{token}/practice")
    assert first.status_code == 302 and first.headers["Location"].endswith("/practice/1")
    with app.test_request_context():
        types = [q.type for q in practice.questions()]
    assert sorted(types) == sorted(RIGHT)
    for position, qtype in enumerate(types, start=1):
        page = client.get(f"/i/{token}/practice/{position}")
        assert page.status_code == 200 and f'data-type="{qtype}"' in page.text
        assert "not timed, not scored" in page.text and 'id="countdown"' not in page.text
        right = _check(client, token, position, RIGHT[qtype])
        assert right["correct"] is True and right["explanation"], qtype
        wrong = _check(client, token, position, None)
        assert wrong["correct"] is False and wrong["partial"] is False
    partly = _check(client, token, types.index("multiple") + 1, [0])
    assert partly == {**partly, "correct": False, "partial": True}
    assert "Practice task" in client.get(f"/i/{token}/practice/{len(types) + 1}").text
    assert client.get(f"/i/{token}/practice/{len(types) + 2}").status_code == 404
    db.session.expire_all()
    stored = db.session.get(Invitation, invitation.id)
    assert stored is not None and stored.practised_at is not None and stored.attempt is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 0


def test_a_russian_reader_practises_in_russian(
    app: Flask, client: FlaskClient, bank: BankFactory
) -> None:
    """The practice texts follow the candidate's language; answers are the same values."""
    factory = Factory()
    _, token = make_invitation(factory, factory.user(Role.RECRUITER))
    client.get(f"/i/{token}?lang=ru")
    page = client.get(f"/i/{token}/practice/4", headers={"Accept-Language": "ru"})
    assert "Прочитать условие задачи" in page.text and 'data-value="read"' in page.text
    assert _check(client, token, 4, RIGHT["ordering"])["correct"] is True


def test_staff_see_only_whether_the_candidate_practised(
    app: Flask, client: FlaskClient, auth: Auth, bank: BankFactory
) -> None:
    """The position's page says yes or no per candidate, and nothing of the answers."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    invitation, token = make_invitation(factory, recruiter)
    invitations.invite(db.session, invitation.position, "Never Practised", "np@example.com",
                       recruiter)  # fmt: skip
    db.session.commit()
    _check(client, token, 1, 3)
    page = client.get(f"/i/{token}/practice/1")
    done = client.post(f"/i/{token}/practice/done", data={"csrf_token": csrf_token(page.text)})
    assert done.status_code == 302 and "practised=1" in done.headers["Location"]
    assert "You have tried the practice round" in client.get(done.headers["Location"]).text
    auth.login(recruiter.email)
    html = client.get(f"/positions/{invitation.position_id}").text
    assert '<th scope="col">Practised</th>' in html
    practised = html.split(invitation.candidate_name)[1].split("</tr>")[0]
    never = html.split("Never Practised")[1].split("</tr>")[0]
    assert "<td>yes</td>" in practised and "<td>no</td>" in never
    assert "Not quite" not in html and "def" not in practised  # nothing of the round itself


def test_bad_practice_input_gets_a_reason_and_changes_nothing(
    app: Flask, client: FlaskClient, bank: BankFactory
) -> None:
    """A foreign token is a 404; a malformed answer scores not right; code that is not text
    is a 422; once the assessment started, the round is closed (409 for its scripts)."""
    factory = Factory()
    invitation, token = make_invitation(factory, factory.user(Role.RECRUITER))
    assert client.get("/i/not-a-token/practice/1").status_code == 404
    page = client.get(f"/i/{token}/practice/1")
    headers = {"X-CSRFToken": _csrf(page.text)}
    odd = client.post(
        f"/i/{token}/practice/1/check", json={"response": {"x": [1]}}, headers=headers
    )
    assert odd.status_code == 200 and odd.json["correct"] is False
    no_csrf = client.post(f"/i/{token}/practice/1/check", json={"response": 0})
    assert no_csrf.status_code == 400
    code = client.post(f"/i/{token}/practice/run", json={"code": 5}, headers=headers)
    assert code.status_code == 422 and code.json["error"]["fields"]["code"]
    assert client.post(f"/i/{token}/practice/99/check", json={"response": 0},
                       headers=headers).status_code == 404  # fmt: skip
    open_invitation(client, token)
    assert client.get(f"/i/{token}/practice/1").status_code == 302
    headers = {"X-CSRFToken": csrf_token(client.get(f"/i/{token}").text)}  # a new session
    closed = client.post(f"/i/{token}/practice/1/check", json={"response": 0}, headers=headers)
    assert closed.status_code == 409 and closed.json["error"]["code"] == "practice_closed"
    db.session.expire_all()
    attempt = db.session.scalar(sa.select(Attempt).where(Attempt.invitation_id == invitation.id))
    assert attempt is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0


@pytest.mark.docker
def test_the_practice_task_runs_its_sample_tests_in_the_sandbox(
    app: Flask, client: FlaskClient, bank: BankFactory
) -> None:
    """The starter fails the sample tests, a right greeting passes them; nothing is queued
    or graded, and runs are rate limited per invitation."""
    from tests.integration.sandbox.conftest import require_docker

    require_docker()
    factory = Factory()
    _, token = make_invitation(factory, factory.user(Role.RECRUITER))
    with app.test_request_context():
        last = practice.count()
    page = client.get(f"/i/{token}/practice/{last}")
    assert "Run sample tests" in page.text
    headers = {"X-CSRFToken": _csrf(page.text)}
    url = f"/i/{token}/practice/run"
    starter = client.post(url, json={"code": practice.STARTER}, headers=headers)
    assert starter.status_code == 200 and starter.json["verdict"] == "failed", starter.json
    assert [t["passed"] for t in starter.json["tests"]] == [False, False]
    good = "def greet(name):\n    return f'Hello, {name}!'\n"
    right = client.post(url, json={"code": good}, headers=headers)
    assert right.json["verdict"] == "passed" and all(t["passed"] for t in right.json["tests"])
    for _ in range(practice.RUNS_PER_MINUTE - 2):
        client.post(url, json={"code": good}, headers=headers)
    limited = client.post(url, json={"code": good}, headers=headers)
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0
