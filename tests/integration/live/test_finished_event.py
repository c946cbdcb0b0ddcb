"""Ending a live interview queues ``interview.finished`` for the organisation's webhooks: the
interview's facts, never its notes, scores or code."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Flask

from assess.extensions import db
from assess.live import service
from assess.models import Role, WebhookDelivery
from assess.models.live import LiveInterview
from assess.webhooks import registry
from tests.conftest import Factory

from .conftest import Scene


def test_ending_queues_interview_finished(app: Flask, scene: Scene, factory: Factory) -> None:
    """One delivery for the hook that wants the event, none for the other organisation's or
    for a hook of other events; the payload holds the interview and the attempt only."""
    wanted, _ = registry.register(
        db.session, scene.recruiter, "https://hooks.example/live", ["interview.finished"]
    )
    registry.register(db.session, scene.recruiter, "https://hooks.example/a", ["attempt.scored"])
    outsider = factory.user(Role.RECRUITER, organization=factory.organization("Elsewhere"))
    registry.register(db.session, outsider, "https://hooks.example/o", ["interview.finished"])
    interview = db.session.get(LiveInterview, scene.interview_id)
    assert interview is not None
    service.add_note(db.session, scene.interviewer, interview, "found the bug alone")
    service.end(db.session, scene.interviewer, interview, {"main": "secret code\n"})
    db.session.commit()
    (delivery,) = db.session.scalars(sa.select(WebhookDelivery)).all()
    assert delivery.webhook_id == wanted.id and delivery.event == "interview.finished"
    body = json.loads(delivery.payload)
    assert body["event"] == "interview.finished"
    assert body["data"]["attempt"]["id"] == scene.attempt.id
    assert body["data"]["interview"]["id"] == scene.interview_id
    assert body["data"]["interview"]["title"] == "Pairing"
    assert body["data"]["interview"]["ended_at"]
    assert "found the bug" not in delivery.payload and "secret code" not in delivery.payload
