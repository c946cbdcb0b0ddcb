"""What live interviews hand over to the pages around them: links to open and join a room
from the review desk, the scorecard and the pipeline, the final code (escaped) and the
playback of ended interviews, and the statement in the viewer's language."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.live import service
from assess.models import AttemptState, CodingTask
from assess.models.live import LiveInterview
from assess.services import attempts
from tests.conftest import Auth

from .conftest import Scene

HOSTILE = "</code><script>alert('pwned')</script>"


def _finish(scene: Scene) -> None:
    """The candidate finished the assessment (the desk shows finished attempts only)."""
    attempt = db.session.merge(scene.attempt)
    attempts.finish_attempt(db.session, attempt)
    db.session.commit()
    assert attempt.state is not AttemptState.STARTED


def test_the_desk_opens_joins_and_hands_over_the_room(
    app: Flask, client: FlaskClient, auth: Auth, scene: Scene
) -> None:
    """An assigned interviewer finds the running room and a way to open another on the desk;
    once ended, the desk shows the final code escaped and the playback, not the room."""
    _finish(scene)
    auth.login(scene.interviewer.email)
    desk = client.get(f"/review/attempts/{scene.attempt.id}")
    assert desk.status_code == 200
    assert f'href="/live/{scene.interview_id}"' in desk.text
    assert f'href="/live/new/{scene.attempt.id}"' in desk.text
    assert f'href="/live/{scene.interview_id}/playback"' in desk.text

    interview = db.session.get(LiveInterview, scene.interview_id)
    service.end(db.session, scene.interviewer, interview, {"main": HOSTILE, "tests": ""})
    db.session.commit()
    desk = client.get(f"/review/attempts/{scene.attempt.id}")
    assert f'href="/live/{scene.interview_id}"' not in desk.text  # the room is closed
    assert f'href="/live/{scene.interview_id}/playback"' in desk.text
    assert "<script>alert(" not in desk.text
    assert "&lt;script&gt;alert(" in desk.text


def test_the_scorecard_and_the_pipeline_lead_to_the_room(
    app: Flask, client: FlaskClient, auth: Auth, scene: Scene
) -> None:
    """A recruiter opens a live interview from the pipeline and the scorecard, and the
    scorecard lists the attempt's interviews."""
    _finish(scene)
    auth.login(scene.recruiter.email)
    card = client.get(f"/insights/attempts/{scene.attempt.id}/scorecard")
    assert card.status_code == 200
    assert f'href="/live/new/{scene.attempt.id}"' in card.text
    assert f'href="/live/{scene.interview_id}/playback"' in card.text
    position = scene.attempt.invitation.position_id
    pipeline = client.get(f"/positions/{position}")
    assert pipeline.status_code == 200
    assert f'href="/live/new/{scene.attempt.id}"' in pipeline.text


def test_an_unassigned_interviewer_is_not_offered_to_open_one(
    app: Flask, client: FlaskClient, auth: Auth, scene: Scene, factory: object
) -> None:
    """An interviewer not assigned to the attempt can neither see it nor open a room for it."""
    from assess.models import Role

    _finish(scene)
    other = factory.user(Role.INTERVIEWER)  # type: ignore[attr-defined]
    auth.login(other.email)
    card = client.get(f"/insights/attempts/{scene.attempt.id}/scorecard")
    assert card.status_code == 404  # not assigned: the attempt is not theirs to see
    assert client.get(f"/live/new/{scene.attempt.id}").status_code == 404


def test_the_room_shows_the_statement_in_the_viewers_language(
    app: Flask, client: FlaskClient, auth: Auth, scene: Scene
) -> None:
    """With Russian chosen, the room shows the task's Russian statement; else English."""
    interview = db.session.get(LiveInterview, scene.interview_id)
    task = db.session.get(CodingTask, interview.task_id)
    task.statement_ru_md = "# Частота слов\n\nВерните самые частые слова."
    task.title_ru = "Частота слов"
    db.session.commit()
    auth.login(scene.interviewer.email)
    english = client.get(f"/live/{scene.interview_id}")
    assert "Верните самые частые слова" not in english.text
    db.session.merge(scene.interviewer).locale = "ru"
    db.session.commit()
    russian = client.get(f"/live/{scene.interview_id}")
    assert "Верните самые частые слова" in russian.text
