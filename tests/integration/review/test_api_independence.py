"""The API keeps interviewers independent like the scorecard page: until an interviewer has
recorded their own recommendation, a colleague's interview scores (and the grade and overall
score they moved) are not in what the API returns to them."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import GradeCode, InterviewQuestion, Recommendation, User
from assess.review import interviews
from tests.integration.api.conftest import bearer, token_for
from tests.integration.review import builders
from tests.integration.review.conftest import Desk


def add_kit() -> None:
    """Junior interview questions for PY and SQL."""
    for key, code in (("py-iv-j-01", "PY"), ("sql-iv-j-01", "SQL")):
        db.session.add(
            InterviewQuestion(
                key=key,
                competency_code=code,
                grade=GradeCode.JUNIOR,
                question=f"Ask {key}",
                follow_ups=[],
                anchors={str(n): f"anchor {n}" for n in range(1, 5)},
                content_hash=key,
            )
        )
    db.session.commit()


def interview_scores(card: dict[str, Any] | None) -> dict[str, Any]:
    """The interview score of each competency in a card."""
    return {c["code"]: c.get("interview") for c in (card or {}).get("competencies", [])}


def read(client: FlaskClient, user: User, attempt_id: int) -> tuple[dict[str, Any], ...]:
    """The scorecard, the attempt and the attempt's list entry as ``user``'s token reads them."""
    headers = bearer(token_for(user))
    scorecard = client.get(f"/api/v1/attempts/{attempt_id}/scorecard", headers=headers)
    attempt = client.get(f"/api/v1/attempts/{attempt_id}", headers=headers)
    listed = client.get("/api/v1/attempts", headers=headers)
    assert scorecard.status_code == attempt.status_code == listed.status_code == 200
    entry = next(a for a in listed.get_json()["items"] if a["id"] == attempt_id)
    return scorecard.get_json(), attempt.get_json(), entry


def test_api_hides_colleagues_interviews_until_own_recommendation(
    desk: Desk, client: FlaskClient
) -> None:
    """A colleague's poor interview lowers the stored card; the other interviewer's token
    reads the automated card (no interview scores, the automated grade and overall) until
    they recommend, then the full card. Recruiters always read the full card."""
    add_kit()
    builders.assign(desk.ada, desk.other_interviewer, desk.recruiter)
    automated = dict(desk.ada.scorecard or {})
    interviews.save_interview(
        db.session,
        desk.ada,
        desk.interviewer,
        {"PY": interviews.RubricEntry(1, ""), "SQL": interviews.RubricEntry(1, "")},
        Recommendation.STRONG_NO,
        "Anchoring reason",
    )
    db.session.commit()
    db.session.refresh(desk.ada)
    stored = desk.ada.scorecard or {}
    assert interview_scores(stored)["PY"] is not None
    assert stored["overall"] != automated["overall"]

    card, attempt, entry = read(client, desk.other_interviewer, desk.ada.id)
    assert set(interview_scores(card["card"]).values()) == {None}
    assert card["overall"] == automated["overall"]
    assert card["recommended_grade"] == automated["recommended_grade"]
    assert card["card"]["overall"] == automated["overall"]
    assert attempt["recommended_grade"] == entry["recommended_grade"]
    assert attempt["recommended_grade"] == automated["recommended_grade"]
    assert "Anchoring reason" not in str(card)

    full, _, _ = read(client, desk.recruiter, desk.ada.id)
    assert full["card"] == stored
    assert full["overall"] == stored["overall"]
    mine, _, _ = read(client, desk.interviewer, desk.ada.id)
    assert mine["card"] == stored

    interviews.save_interview(
        db.session,
        desk.ada,
        desk.other_interviewer,
        {"PY": interviews.RubricEntry(4, "")},
        None,
        "",
    )
    db.session.commit()
    still, _, _ = read(client, desk.other_interviewer, desk.ada.id)
    assert still["card"]["overall"] == automated["overall"]  # scores alone are not enough

    interviews.save_interview(
        db.session,
        desk.ada,
        desk.other_interviewer,
        {"PY": interviews.RubricEntry(4, "")},
        Recommendation.YES,
        "Mine",
    )
    db.session.commit()
    db.session.refresh(desk.ada)
    after, attempt, _ = read(client, desk.other_interviewer, desk.ada.id)
    assert after["card"] == desk.ada.scorecard
    assert interview_scores(after["card"])["PY"] is not None
    assert attempt["recommended_grade"] == (desk.ada.scorecard or {}).get("recommended_grade")


def test_api_hides_the_grade_a_colleague_moved(desk: Desk, client: FlaskClient) -> None:
    """When a colleague's interview lifts the recommended grade, the interviewer who has
    not recommended yet reads the automated grade, in the attempt and in the list."""
    add_kit()
    builders.assign(desk.bob, desk.interviewer, desk.recruiter)
    builders.assign(desk.bob, desk.other_interviewer, desk.recruiter)
    automated = dict(desk.bob.scorecard or {})
    interviews.save_interview(
        db.session,
        desk.bob,
        desk.interviewer,
        {"PY": interviews.RubricEntry(4, ""), "SQL": interviews.RubricEntry(4, "")},
        Recommendation.STRONG_YES,
        "Impressive",
    )
    db.session.commit()
    db.session.refresh(desk.bob)
    stored = desk.bob.scorecard or {}
    assert stored["recommended_grade"] != automated["recommended_grade"]
    card, attempt, entry = read(client, desk.other_interviewer, desk.bob.id)
    assert card["recommended_grade"] == automated["recommended_grade"]
    assert attempt["recommended_grade"] == automated["recommended_grade"]
    assert entry["recommended_grade"] == automated["recommended_grade"]
    _, theirs, _ = read(client, desk.recruiter, desk.bob.id)
    assert theirs["recommended_grade"] == stored["recommended_grade"]
