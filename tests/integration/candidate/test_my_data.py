"""The candidate's own data from their link: a JSON download holding exactly their records,
and a request to be forgotten that a recruiter of the organisation confirms."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import (
    Answer,
    AuditEvent,
    CodeDraft,
    Invitation,
    Question,
    Role,
    Submission,
    SubmissionKind,
)
from assess.ops import retention
from assess.services import accommodations, attempts, integrity, invitations
from tests.conftest import Auth, BankFactory, Factory, csrf_token, make_attempt, make_invitation


def work(attempt_id: int, code: str) -> None:
    """A draft, a final submission and a paste event for the attempt's coding task."""
    from assess.models import Attempt

    attempt = db.session.get(Attempt, attempt_id)
    assert attempt is not None
    item = next(i for i in attempt.items if i.task_id is not None)
    db.session.add(CodeDraft(attempt_id=attempt.id, task_id=item.task_id, code=code))
    db.session.add(Submission(attempt_id=attempt.id, task_id=item.task_id, verdict="failed",
                              score=0.25, kind=SubmissionKind.FINAL, code=code))  # fmt: skip
    integrity.record_batch(db.session, attempt, [{"kind": "paste", "position": 1, "size": 321}])
    db.session.commit()


def test_the_download_holds_exactly_the_candidates_own_records(
    app: Flask, client: FlaskClient, bank: BankFactory
) -> None:
    """Ada's file has her name, email, answers, code and events; Bob's are absent; no
    correct answers or hidden checks are in it."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    ada, ada_token = make_attempt(factory, recruiter, "Ada Lovelace")
    bob, _ = make_attempt(factory, recruiter, "Bob Builder")
    question_item = next(i for i in ada.items if i.question_id is not None)
    attempts.save_answer(db.session, ada, question_item.position, "ada's answer", 1)
    db.session.commit()
    work(ada.id, "def ada(): return 'mine'\n")
    work(bob.id, "def bob(): return 'his'\n")
    response = client.get(f"/i/{ada_token}/data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    data = json.loads(text)
    assert data["candidate"] == {"name": "Ada Lovelace", "email": ada.invitation.candidate_email}
    assert [a["response"] for a in data["attempt"]["answers"]] == ["ada's answer"]
    assert [d["code"] for d in data["attempt"]["drafts"]] == ["def ada(): return 'mine'\n"]
    assert [s["code"] for s in data["attempt"]["submissions"]] == ["def ada(): return 'mine'\n"]
    # A final submission is only "graded", as on the candidate's page: no hidden-check oracle.
    assert [s["result"] for s in data["attempt"]["submissions"]] == ["graded"]
    assert '"score"' not in text and '"verdict"' not in text
    assert data["attempt"]["integrity_events"][0]["size"] == 321
    for absent in ("Bob Builder", bob.invitation.candidate_email, "def bob", "explanation"):
        assert absent not in text
    assert client.get("/i/not-a-token/data.json").status_code == 404
    assert client.get("/i/not-a-token/data").status_code == 404


def test_erasure_is_asked_by_the_candidate_and_confirmed_by_a_recruiter(
    app: Flask, client: FlaskClient, auth: Auth, bank: BankFactory
) -> None:
    """The request needs its confirmation box; once asked it is audited and shown to the
    recruiter, whose confirmation anonymises the records and ends the link; another
    organisation's recruiter cannot confirm it."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    invitation, token = make_invitation(factory, recruiter, "Cy Erase")
    accommodations.request(db.session, invitation, "I have dyslexia; 25% more time, please.")
    accommodations.grant(db.session, invitation, 25, 0, "Dyslexia, as the candidate said.",
                         recruiter)  # fmt: skip
    attempt = attempts.start_attempt(db.session, invitation, seed=5)
    text_item = next(
        i for i in attempt.items if i.question_id is not None
        and db.session.get(Question, i.question_id).type == "exact"  # type: ignore[union-attr]
    )  # fmt: skip
    attempts.save_answer(db.session, attempt, text_item.position, "my own words", 1)
    db.session.commit()
    work(attempt.id, "def cy(): return 1\n")
    invitation_id = attempt.invitation_id
    page = client.get(f"/i/{token}/data")
    assert page.status_code == 200 and "Download my data" in page.text
    refused = client.post(f"/i/{token}/data", data={"csrf_token": csrf_token(page.text)})
    assert refused.status_code == 422
    asked = client.post(
        f"/i/{token}/data", data={"csrf_token": csrf_token(page.text), "confirm": "y"}
    )
    assert asked.status_code == 302
    assert "You asked for your data to be deleted" in client.get(f"/i/{token}/data").text
    invitation = db.session.get(Invitation, invitation_id)
    assert invitation is not None and invitation.erasure_requested_at is not None
    assert db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "candidate.erasure_requested")
    )

    outsider = factory.user(Role.RECRUITER, organization=factory.organization("Elsewhere"))
    other = app.test_client()
    Auth(other).login(outsider.email)
    listing = other.get("/positions")
    forged = other.post(f"/positions/invitations/{invitation_id}/forget",
                        data={"csrf_token": csrf_token(listing.text)})  # fmt: skip
    assert forged.status_code == 404

    auth.login(recruiter.email)
    position = client.get(f"/positions/{invitation.position_id}")
    assert "asked to delete their data" in position.text
    confirmed = client.post(f"/positions/invitations/{invitation_id}/forget",
                            data={"csrf_token": csrf_token(position.text)})  # fmt: skip
    assert confirmed.status_code == 302
    db.session.expire_all()
    invitation = db.session.get(Invitation, invitation_id)
    assert invitation is not None and retention.is_forgotten(invitation)
    assert invitation.candidate_name != "Cy Erase"
    assert db.session.scalar(sa.select(CodeDraft).where(CodeDraft.attempt_id == attempt.id)) is None
    code = db.session.scalar(sa.select(Submission.code).where(Submission.attempt_id == attempt.id))
    assert code is not None and "def cy" not in code
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "candidate.erased"))
    assert invitation.accommodation_request is None
    answers = db.session.scalars(sa.select(Answer.response).where(Answer.attempt_id == attempt.id))
    assert "my own words" not in list(answers)
    grant = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "invitation.extra_time")
    )
    assert grant is not None and "Dyslexia" not in str(grant.details)
    assert client.get(f"/i/{token}/data.json").status_code == 404


def test_a_withdrawn_link_still_reaches_the_candidates_own_data(
    app: Flask, client: FlaskClient, bank: BankFactory
) -> None:
    """The data is the candidate's whatever the link's state: withdrawn, the landing page
    refuses, the data page and the download still answer."""
    factory = Factory()
    invitation, token = make_invitation(factory, name="Wes Withdrawn")
    invitations.revoke(invitation)
    db.session.commit()
    assert client.get(f"/i/{token}").status_code == 404
    assert client.get(f"/i/{token}/data").status_code == 200
    assert client.get(f"/i/{token}/data.json").get_json()["candidate"]["name"] == "Wes Withdrawn"
