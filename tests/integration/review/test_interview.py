"""Structured interviews: the kit, recording scores, several interviewers and their spread,
and assigning interviewers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from assess.errors import Forbidden, ValidationFailed
from assess.extensions import db
from assess.models import (
    AuditEvent,
    GradeCode,
    InterviewAssignment,
    InterviewQuestion,
    Recommendation,
    User,
)
from assess.review import interviews
from tests.conftest import csrf_token
from tests.integration.review import builders
from tests.integration.review.conftest import Desk


def add_kit() -> None:
    """Interview questions for PY and SQL at junior, and one at senior."""
    for key, code, grade in (
        ("py-iv-j-01", "PY", GradeCode.JUNIOR),
        ("sql-iv-j-01", "SQL", GradeCode.JUNIOR),
        ("py-iv-s-01", "PY", GradeCode.SENIOR),
    ):
        db.session.add(
            InterviewQuestion(
                key=key,
                competency_code=code,
                grade=grade,
                question=f"Ask **{key}**",
                follow_ups=["And then?"],
                anchors={str(n): f"anchor {n} of {key}" for n in range(1, 5)},
                content_hash=key,
            )
        )
    db.session.commit()


def test_kit_is_the_attempts_grade_grouped_by_competency(desk: Desk) -> None:
    """Only junior questions, grouped in the job's competency order."""
    add_kit()
    kit = interviews.interview_kit(db.session, desk.ada)
    assert [(s.competency.code, [q.key for q in s.questions]) for s in kit] == [
        ("PY", ["py-iv-j-01"]),
        ("SQL", ["sql-iv-j-01"]),
    ]


def test_interviewer_scores_and_the_scorecard_combines(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """Posting the form stores scores and the recommendation; the interview joins the
    combined score with its visible weight."""
    add_kit()
    client = sign_in(desk.interviewer)
    url = f"/review/attempts/{desk.ada.id}/interview"
    page = client.get(url).text
    assert "anchor 4 of py-iv-j-01" in page
    assert "<strong>py-iv-j-01</strong>" in page
    assert "py-iv-s-01" not in page
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(page),
            "score-PY": "4",
            "notes-PY": "Clear <b>and</b> fast",
            "score-SQL": "1",
            "notes-SQL": "",
            "recommendation": "yes",
            "reason": "Solid basics",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    card = desk.ada.scorecard
    assert card is not None
    py = next(c for c in card["competencies"] if c["code"] == "PY")
    assert py["interview"] == 1.0
    assert py["interview_scores"] == [4]
    assert py["combined"] == pytest.approx(0.6 * py["automated"] + 0.4 * 1.0, abs=1e-3)
    page = client.get(url).text
    assert "Clear &lt;b&gt;and&lt;/b&gt; fast" in page
    assert '<option selected value="yes">' in page
    scorecard = client.get(f"/insights/attempts/{desk.ada.id}/scorecard").text
    assert "Combined = 60% automated + 40% interview" in scorecard
    assert "Solid basics" in scorecard
    assert (
        db.session.scalar(
            sa.select(AuditEvent.action).where(AuditEvent.action == "interview.scored")
        )
        == "interview.scored"
    )


def test_form_errors_are_reported_and_nothing_is_saved(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """A bad score, notes without a score, or a recommendation without a reason: 422."""
    add_kit()
    client = sign_in(desk.interviewer)
    url = f"/review/attempts/{desk.ada.id}/interview"
    token = csrf_token(client.get(url).text)
    for data in (
        {"score-PY": "5"},
        {"score-PY": "", "notes-PY": "notes"},
        {"score-PY": "3", "recommendation": "strong_yes", "reason": ""},
    ):
        response = client.post(url, data={"csrf_token": token, **data})
        assert response.status_code == 422, data
    assert interviews.my_scorecard(db.session, desk.ada, desk.interviewer) is None


def test_several_interviewers_and_their_spread(desk: Desk) -> None:
    """Two interviewers score PY 1 and 4: both are shown, the spread is 3 and flagged."""
    add_kit()
    builders.assign(desk.ada, desk.other_interviewer, desk.recruiter)
    entry = interviews.RubricEntry
    interviews.save_interview(
        db.session, desk.ada, desk.interviewer, {"PY": entry(1, "")}, Recommendation.NO, "weak"
    )
    interviews.save_interview(
        db.session,
        desk.ada,
        desk.other_interviewer,
        {"PY": entry(4, "great")},
        Recommendation.STRONG_YES,
        "strong",
    )
    db.session.commit()
    panel = interviews.panel(db.session, desk.ada)
    assert [s.score for s in panel.scores["PY"]] == [1, 4]
    assert panel.spread("PY") == 3
    assert panel.spread("SQL") is None
    py = next(c for c in desk.ada.scorecard["competencies"] if c["code"] == "PY")
    assert sorted(py["interview_scores"]) == [1, 4]
    assert py["interview"] == 0.5
    # revising removes a competency that is no longer scored
    interviews.save_interview(
        db.session, desk.ada, desk.interviewer, {"PY": entry(None, "")}, None, ""
    )
    db.session.commit()
    assert [s.score for s in interviews.panel(db.session, desk.ada).scores["PY"]] == [4]


def test_unassigned_people_cannot_record(desk: Desk) -> None:
    """The service refuses an interviewer without an assignment."""
    with pytest.raises(Forbidden):
        interviews.save_interview(db.session, desk.bob, desk.interviewer, {}, None, "")
    with pytest.raises(ValidationFailed):
        interviews.save_interview(
            db.session,
            desk.ada,
            desk.interviewer,
            {"NOPE": interviews.RubricEntry(2, "")},
            None,
            "",
        )


def test_recruiter_assigns_and_withdraws_an_interviewer(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """Assigning puts the attempt on the interviewer's desk; both steps are audited."""
    client = sign_in(desk.recruiter)
    url = f"/review/attempts/{desk.bob.id}/assign"
    page = client.get(url).text
    assert f'<option value="{desk.other_interviewer.id}">' in page
    assert f'<option value="{desk.recruiter.id}">' not in page
    response = client.post(
        url, data={"csrf_token": csrf_token(page), "interviewer": desk.other_interviewer.id}
    )
    assert response.status_code == 302
    twice = client.post(
        url, data={"csrf_token": csrf_token(page), "interviewer": desk.other_interviewer.id}
    )
    assert twice.status_code == 422
    assert "already assigned" in twice.text
    refused = client.post(
        url, data={"csrf_token": csrf_token(page), "interviewer": desk.recruiter.id}
    )
    assert refused.status_code == 422
    desk_page = sign_in(desk.other_interviewer).get("/review").text
    assert "Bob Builder" in desk_page
    response = client.post(
        f"{url}/{desk.other_interviewer.id}/withdraw", data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 302
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(InterviewAssignment)
            .where(InterviewAssignment.attempt_id == desk.bob.id)
        )
        == 0
    )
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"interview.assigned", "interview.unassigned"} <= actions


def test_interviewers_judge_independently(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """Until an interviewer records their own recommendation, colleagues' scores and reasons
    stay hidden from them (on the interview page, the scorecard and its chart data)."""
    add_kit()
    builders.assign(desk.ada, desk.other_interviewer, desk.recruiter)
    entry = interviews.RubricEntry
    interviews.save_interview(
        db.session,
        desk.ada,
        desk.interviewer,
        {"PY": entry(1, "")},
        Recommendation.STRONG_NO,
        "Anchoring reason",
    )
    db.session.commit()
    other = sign_in(desk.other_interviewer)
    card_url = f"/insights/attempts/{desk.ada.id}/scorecard"
    page = other.get(card_url).text
    assert "Anchoring reason" not in page
    assert "You see the automated assessment only" in page
    assert all(v is None for v in other.get(card_url + ".json").get_json()["datasets"][2]["data"])
    interview = other.get(f"/review/attempts/{desk.ada.id}/interview").text
    assert "Anchoring reason" not in interview
    assert "once you have recorded your own recommendation" in interview
    assert "Anchoring reason" in sign_in(desk.recruiter).get(card_url).text
    interviews.save_interview(
        db.session,
        desk.ada,
        desk.other_interviewer,
        {"PY": entry(4, "")},
        Recommendation.YES,
        "Mine",
    )
    db.session.commit()
    page = other.get(card_url).text
    assert "Anchoring reason" in page
    assert "spread 3" in page
