"""The finished candidate's survey: optional, once, stored apart from the attempt, and
summarised for the position's recruiters with comments escaped."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm.attributes import set_committed_value

from assess.errors import Conflict
from assess.extensions import db
from assess.models import Attempt, CandidateFeedback, GradeCode, Role
from assess.services import attempts, feedback, invitations
from tests.conftest import Auth, BankFactory, Factory, csrf_token, make_attempt


def finished(client: FlaskClient, factory: Factory, name: str) -> tuple[Attempt, str]:
    """A finished attempt held by ``client``; the done page's text."""
    attempt, token = make_attempt(factory, name=name)
    landing = client.get(f"/i/{token}")
    client.post(f"/i/{token}", data={"csrf_token": csrf_token(landing.text)})
    attempts.finish_attempt(db.session, attempt)
    db.session.commit()
    return attempt, client.get("/attempt/done").text


def test_feedback_is_given_once_and_kept_apart_from_the_attempt(
    app: Flask, bank: BankFactory
) -> None:
    """Bad values are refused with a reason; a good answer is stored with the position and
    the day only; a second one is refused; another candidate's counts too."""
    factory = Factory()
    client = app.test_client()
    attempt, page = finished(client, factory, "Fay Feedback")
    assert "How fair did the assessment feel?" in page
    token = csrf_token(page)
    for data, reason in (
        ({"fairness": "7"}, "Not a valid choice"),
        ({"comment": "x" * 1001}, "Field cannot be longer than 1000 characters"),
        ({"comment": "nul\x00"}, "control characters"),
        ({}, "answer at least one question"),
    ):
        response = client.post("/attempt/feedback", data={"csrf_token": token, **data})
        assert response.status_code == 422, data
        assert reason in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CandidateFeedback)) == 0
    comment = "Fair, but <b>the clock</b> felt tight."
    sent = client.post("/attempt/feedback", data={"csrf_token": token, "fairness": "4",
                                                  "comment": comment})  # fmt: skip
    assert sent.status_code == 302
    assert "Thank you for your feedback." in client.get("/attempt/done").text
    again = client.post("/attempt/feedback", data={"csrf_token": token, "fairness": "1"})
    assert again.status_code == 409 and "already recorded" in again.text
    (row,) = db.session.scalars(sa.select(CandidateFeedback)).all()
    assert (row.fairness, row.comment) == (4, comment)
    assert set(CandidateFeedback.__table__.columns.keys()) == {
        "id", "position_id", "fairness", "comment", "day"
    }  # fmt: skip
    db.session.refresh(attempt)
    assert attempt.feedback_given
    set_committed_value(attempt, "feedback_given", False)  # as read before the first answer
    with pytest.raises(Conflict, match="already recorded"):
        feedback.give(db.session, attempt, 3, None)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CandidateFeedback)) == 1


def test_the_summary_is_for_the_positions_recruiters(
    app: Flask, client: FlaskClient, auth: Auth, bank: BankFactory
) -> None:
    """Two candidates of one position answer: the recruiter sees the count, the mean, the
    spread and the comments, escaped; nothing names who said what."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    position = invitations.create_position(db.session, recruiter, "Backend", GradeCode.JUNIOR)
    answers = (("Al One", "5", "Great"), ("Bo Two", "2", "<i>hard</i>"), ("Cy Three", "", "ok"))
    for n, (name, fairness, comment) in enumerate(answers):
        if n == 2:  # below the minimum only the count is told
            auth.login(recruiter.email)
            early = client.get(f"/positions/{position.id}").text.split('id="candidate-feedback"')
            assert "2 finished candidates answered the survey." in early[1]
            assert "shown from 3 on" in early[1] and "Great" not in early[1]
            auth.logout()
        invitation, token = invitations.invite(
            db.session, position, name, f"cand{n}@example.com", recruiter
        )
        attempt = attempts.start_attempt(db.session, invitation, seed=n)
        db.session.commit()
        candidate = app.test_client()
        landing = candidate.get(f"/i/{token}")
        candidate.post(f"/i/{token}", data={"csrf_token": csrf_token(landing.text)})
        attempts.finish_attempt(db.session, attempt)
        db.session.commit()
        page = candidate.get("/attempt/done").text
        sent = candidate.post("/attempt/feedback", data={
            "csrf_token": csrf_token(page), "fairness": fairness, "comment": comment,
        })  # fmt: skip
        assert sent.status_code == 302
    auth.login(recruiter.email)
    section = client.get(f"/positions/{position.id}").text.split('id="candidate-feedback"')[1]
    assert "3 finished candidates answered the survey." in section
    assert "How fair it felt, on average: 3.5 out of 5. 2 ratings." in section
    cells = re.findall(r"<td>(\d+)</td>", section.split("Fairness ratings")[1].split("</table>")[0])
    assert cells == ["0", "1", "0", "0", "1"]
    assert "&lt;i&gt;hard&lt;/i&gt;" in section and "<i>hard</i>" not in section
    assert section.index("&lt;i&gt;hard") < section.index("Great") < section.index("ok<")
    assert "Al One" not in section and "Bo Two" not in section
