"""Item response theory on the organisation's own data: `flask bank calibrate` fits and
stores each item's parameters; every scorecard then carries an ability estimate with a 95%
band per competency and how sure its recommended grade is, on the page, in compare and in
the CSV export."""

from __future__ import annotations

import csv
import io

import numpy as np
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.measurement import irt
from assess.models import (
    Answer,
    Attempt,
    AttemptState,
    ItemCalibration,
    Question,
    Role,
    User,
    utcnow,
)
from assess.services import measurement, scorecards
from tests.conftest import Auth, BankFactory, Factory, make_attempt

# the small bank's four junior questions: an easy and a hard one per competency
TRUE = {"py-j-901": (1.5, -1.5), "py-j-902": (1.5, 1.2), "sql-j-901": (1.2, -1.0),
        "sql-j-902": (1.2, 1.0)}  # fmt: skip


def _finish(attempt: Attempt, scores: dict[str, float]) -> None:
    """Answer the attempt's questions with ``scores`` (by key) and close it."""
    for item in attempt.items:
        if item.question_id is None:
            continue
        question = db.session.get(Question, item.question_id)
        assert question is not None
        db.session.add(Answer(attempt_id=attempt.id, question_id=question.id, response=None,
                              score=scores[question.key], revision=1))  # fmt: skip
    attempt.state = AttemptState.FINISHED
    attempt.finished_at = utcnow()


def _candidates(factory: Factory, recruiter: User, count: int, seed: int) -> list[Attempt]:
    """``count`` closed attempts whose answers follow the 2PL with TRUE parameters."""
    rng = np.random.default_rng(seed)
    made = []
    for n in range(count):
        attempt, _ = make_attempt(factory, recruiter, name=f"Sim {n}")
        theta = rng.normal()
        scores = {key: float(rng.random() < irt.probability(a, b, theta))
                  for key, (a, b) in TRUE.items()}  # fmt: skip
        _finish(attempt, scores)
        made.append(attempt)
    db.session.commit()
    return made


def test_calibration_stores_each_items_parameters_from_its_own_organisation(
    app: Flask, bank: BankFactory
) -> None:
    """With enough responses every item is calibrated, easy items get lower difficulties
    than hard ones, standard errors are stored; another organisation's attempts never
    count, and an item with too few responses keeps its grade's prior."""
    factory = Factory()
    ours = factory.user(Role.RECRUITER)
    theirs = factory.user(Role.RECRUITER, organization=factory.organization("Other Ltd"))
    _candidates(factory, ours, 160, seed=1)
    _candidates(factory, theirs, 7, seed=2)
    report = measurement.calibrate(db.session, ours.organization_id, min_responses=100)
    db.session.commit()
    assert (report.items, report.calibrated, report.attempts) == (4, 4, 160)
    rows = {r.question_key: r for r in db.session.scalars(
        sa.select(ItemCalibration).where(ItemCalibration.organization_id == ours.organization_id)
    )}  # fmt: skip
    assert set(rows) == set(TRUE)
    assert all(r.calibrated and r.responses == 160 and r.se_b and r.se_b > 0 for r in rows.values())
    assert rows["py-j-901"].b < rows["py-j-902"].b and rows["sql-j-901"].b < rows["sql-j-902"].b
    small = measurement.calibrate(db.session, theirs.organization_id, min_responses=100)
    db.session.commit()
    assert (small.items, small.calibrated, small.attempts) == (4, 0, 7)
    prior = db.session.scalar(sa.select(ItemCalibration).where(
        ItemCalibration.organization_id == theirs.organization_id,
        ItemCalibration.question_key == "py-j-902"))  # fmt: skip
    assert prior is not None and not prior.calibrated and (prior.a, prior.b) == (1.0, -1.0)
    assert prior.se_a is None and prior.responses == 7


def test_every_scorecard_says_how_sure_it_is(
    app: Flask, bank: BankFactory, client: FlaskClient, auth: Auth
) -> None:
    """All right answers give a higher ability than all wrong ones, each with a band that
    holds it; probabilities of clearing the bars fall with the grade; the page, compare and
    CSV carry the same figures."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    _candidates(factory, recruiter, 120, seed=3)
    measurement.calibrate(db.session, recruiter.organization_id, min_responses=60)
    strong, _ = make_attempt(factory, recruiter, name="Strong Candidate")
    weak, _ = make_attempt(factory, recruiter, name="Weak Candidate")
    _finish(strong, dict.fromkeys(TRUE, 1.0))
    _finish(weak, dict.fromkeys(TRUE, 0.0))
    for attempt in (strong, weak):
        scorecards.recompute(db.session, attempt)
    db.session.commit()
    high = strong.scorecard["measurement"]["competencies"]["PY"]  # type: ignore[index]
    low = weak.scorecard["measurement"]["competencies"]["PY"]  # type: ignore[index]
    assert high["theta"] > low["theta"]
    for e in (high, low):
        assert e["low"] < e["theta"] < e["high"] and e["items"] == 2 and e["enough"]
        assert e["calibrated"] == 2
        p = e["p_clear"]
        assert 0 <= p["senior"] <= p["middle"] <= p["junior"] <= 1
    assert strong.scorecard["measurement"]["calibrated_items"] == 4  # type: ignore[index]

    auth.login(recruiter.email)
    page = client.get(f"/insights/attempts/{strong.id}/scorecard").text
    assert "Ability from the quiz, with a 95% band" in page and 'data-estimate="PY"' in page
    if strong.scorecard["recommended_grade"]:  # type: ignore[index]
        assert "How sure:" in page
    position_id = strong.invitation.position_id
    exported = client.get(f"/insights/positions/{position_id}/scorecards.csv").text
    table = list(csv.DictReader(io.StringIO(exported)))
    line = next(r for r in table if r["candidate"] == "Strong Candidate")
    assert float(line["PY_ability"]) == high["theta"]
    assert line["adaptive"] == "no" and line["estimated_grade"] in (
        "none",
        "junior",
        "middle",
        "senior",
        "",
    )
    assert (
        float(line["PY_ability_low"]) < float(line["PY_ability"]) < float(line["PY_ability_high"])
    )


def test_too_few_questions_is_said_plainly(app: Flask, bank: BankFactory) -> None:
    """A competency measured by one question says not enough evidence, and the grade's
    confidence is unknown rather than made up."""
    entry = {"enough": False, "p_clear": dict.fromkeys(irt.GRADE_BARS, 0.9)}
    sure = {"enough": True, "p_clear": {"junior": 0.9, "middle": 0.5, "senior": 0.1}}
    assert measurement.grade_confidence({"PY": entry, "SQL": sure}, {"PY", "SQL"}) == dict.fromkeys(
        irt.GRADE_BARS
    )
    both = measurement.grade_confidence({"PY": sure, "SQL": sure}, {"PY", "SQL"})
    assert both == {"junior": 0.81, "middle": 0.25, "senior": 0.01}
    assert measurement.estimated_grade({"PY": entry, "SQL": sure}, {"PY", "SQL"}) is None


def test_the_grade_from_the_estimates_needs_every_required_competency_above_the_bar() -> None:
    """The highest grade every required competency is more likely above than below (the
    simulation's rule); a competency that is not required never holds a grade back."""

    def at(junior: float, middle: float, senior: float) -> dict[str, object]:
        return {"enough": True, "p_clear": {"junior": junior, "middle": middle, "senior": senior}}

    strong, middling, weak = at(0.99, 0.9, 0.6), at(0.95, 0.5, 0.2), at(0.4, 0.1, 0.0)
    grade = measurement.estimated_grade
    assert grade({"PY": strong, "SQL": strong}, {"PY", "SQL"}) == "senior"
    assert grade({"PY": strong, "SQL": middling}, {"PY", "SQL"}) == "middle"  # 0.5 clears
    assert grade({"PY": strong, "SQL": at(0.95, 0.49, 0.2)}, {"PY", "SQL"}) == "junior"
    assert grade({"PY": strong, "SQL": weak}, {"PY", "SQL"}) == "none"
    assert grade({"PY": strong, "SQL": weak}, {"PY"}) == "senior"
    assert grade({"PY": strong}, {"PY", "SQL"}) is None


def test_the_calibrate_command_reports_per_organisation(app: Flask, bank: BankFactory) -> None:
    """`flask bank calibrate` fits every organisation and says what it did; an unknown
    organisation is an error naming it."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    _candidates(factory, recruiter, 12, seed=4)
    runner = app.test_cli_runner()
    done = runner.invoke(args=["bank", "calibrate", "--min-responses", "10"])
    assert done.exit_code == 0, done.output
    name = recruiter.organization.name
    assert f"{name}: 4 items in 2 competencies from 12 attempts; 4 calibrated" in done.output
    unknown = runner.invoke(args=["bank", "calibrate", "--organisation", "Nobody Ltd"])
    assert unknown.exit_code != 0 and "no organisation named 'Nobody Ltd'" in unknown.output
    bad = runner.invoke(args=["bank", "calibrate", "--min-responses", "0"])
    assert bad.exit_code != 0 and "--min-responses" in bad.output
