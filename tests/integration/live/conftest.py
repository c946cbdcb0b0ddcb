"""Fixtures of the live interview tests: a served app, an interview, its people."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask

from assess.extensions import db
from assess.live import service
from assess.live.history import seed
from assess.models import Attempt, GradeCode, InterviewQuestion, Role, User
from assess.services import review
from tests.conftest import BankFactory, Factory, make_attempt

from .helpers import serve


@dataclass
class Scene:
    """An attempt with an assigned interviewer, a recruiter, and a live interview."""

    attempt: Attempt
    interviewer: User
    recruiter: User
    interview_id: int
    token: str


@pytest.fixture
def scene(app: Flask, bank: BankFactory, factory: Factory) -> Scene:
    """A live interview on the word-frequency task, with its candidate link."""
    recruiter = factory.user(Role.RECRUITER)
    attempt, _ = make_attempt(factory, recruiter)
    interviewer = factory.user(Role.INTERVIEWER)
    db.session.add(
        InterviewQuestion(
            key="py-iv-j-901",
            competency_code="PY",
            grade=GradeCode.JUNIOR,
            question="Walk me through your function.",
            follow_ups=["What would you test first?"],
            anchors={"1": "No idea.", "2": "Some.", "3": "Clear.", "4": "Clear and tested."},
            content_hash="py-iv-j-901",
        )
    )
    review.assign(db.session, attempt, interviewer.id, recruiter)
    db.session.commit()
    interview, token = service.schedule(
        db.session, interviewer, attempt.id, "Pairing", "word-frequency"
    )
    seed(db.session, interview)
    db.session.commit()
    return Scene(attempt, interviewer, recruiter, interview.id, token)


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    """The app served on loopback (threaded), for real WebSocket clients."""
    app.config["WTF_CSRF_ENABLED"] = True
    with serve(app) as base:
        yield base
