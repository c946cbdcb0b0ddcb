"""Adaptive blueprints: the quiz questions come one at a time, each the most informative at
the candidate's current estimate; an answer is final once the next one is drawn; every draw
is recorded and reproducible from the seed; exposure control comes from the organisation's
own history; coding tasks stay as the blueprint draws them."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import (
    Answer,
    Attempt,
    AttemptItem,
    AttemptState,
    AuditEvent,
    GradeCode,
    ItemCalibration,
    Question,
    RetiredQuestion,
    Role,
    utcnow,
)
from assess.services import (
    adaptive,
    attempts,
    blueprints,
    candidate_data,
    item_review,
    item_stats,
    scorecards,
)
from tests.conftest import Auth, BankFactory, Factory, csrf_token, make_attempt, make_invitation
from tests.integration.candidate.test_attempt_flow import api, open_invitation

PER_GRADE = 4  # single-choice questions per competency and grade; the key is always "b"
CAP = 3  # the blueprint's maximum per competency


def add_graded_questions() -> None:
    """Questions of every grade in PY and SQL beside the small bank's four juniors."""
    for code in ("PY", "SQL"):
        for grade in GradeCode:
            for n in range(PER_GRADE):
                key = f"{code.lower()}-{grade.value[0]}-8{n:02d}"
                db.session.add(
                    Question(
                        key=key,
                        competency_code=code,
                        grade=grade,
                        type="single",
                        weights={code: 1.0},
                        body={"prompt": f"{key}: pick **b**.", "options": ["a", "b", "c"]},
                        answer=1,
                        explanation="b is the key.",
                        content_hash=key,
                    )
                )


def make_junior_adaptive() -> None:
    """Add questions of every grade to the loaded small bank and make its junior blueprint
    adaptive: at most three questions per competency, a standard-error target no three
    answers reach."""
    add_graded_questions()
    default = blueprints.default_for(db.session, GradeCode.JUNIOR)
    assert default is not None
    default.adaptive = True
    default.se_target = 0.2
    default.questions_per_competency = {"PY": CAP, "SQL": CAP}
    db.session.commit()


@pytest.fixture
def adaptive_bank(app: Flask, bank: BankFactory) -> None:
    """The small bank with an adaptive junior blueprint (:func:`make_junior_adaptive`)."""
    make_junior_adaptive()


def _questions(attempt: Attempt) -> list[tuple[AttemptItem, Question]]:
    """The attempt's questions in order, with the question of each."""
    db.session.refresh(attempt)
    return [
        (item, db.session.get(Question, item.question_id))  # type: ignore[misc]
        for item in adaptive.question_items(attempt)
    ]


def _sit(attempt: Attempt, right: bool) -> list[Question]:
    """Answer every question as it comes (all right or all wrong) through the service."""
    while True:
        item, question = _questions(attempt)[-1]
        if item.final_at is not None:
            return [q for _, q in _questions(attempt)]
        score = 1.0 if right else 0.0
        db.session.add(Answer(attempt_id=attempt.id, question_id=question.id,
                              response=1 if right else 0, score=score, revision=1))  # fmt: skip
        adaptive.advance(db.session, attempt, item.position)
        db.session.commit()


def _next(client: FlaskClient, position: int) -> str:
    """Press "Save and go to the next question" on the question at ``position``."""
    page = client.get(f"/attempt/{position}").text
    form = page.split('class="next-form"')[1]
    sent = client.post(f"/attempt/{position}/next", data={"csrf_token": csrf_token(form)})
    assert sent.status_code == 302
    return str(sent.headers["Location"])


def _difficulty(question: Question) -> float:
    """The prior difficulty of a question's grade (the bank is uncalibrated here)."""
    return {"junior": -1.0, "middle": 0.0, "senior": 1.0}[question.grade.value]


def test_one_question_at_a_time_with_the_tasks_after_the_reserved_positions(
    app: Flask, adaptive_bank: None
) -> None:
    """Starting draws one question (recorded: the estimate it was chosen at, its rank by
    information among the eligible, the competency's reason) and the blueprint's task, at
    the position after the six kept for questions."""
    attempt, _ = make_attempt(Factory())
    assert attempt.adaptive is not None and attempt.adaptive["slots"] == 2 * CAP
    assert attempt.adaptive["plan"] == {"PY": CAP, "SQL": CAP}
    drawn = _questions(attempt)
    assert len(drawn) == 1
    item, question = drawn[0]
    assert item.position == 1 and item.final_at is None
    draw = item.draw
    assert draw is not None and draw["item"] == question.key and draw["step"] == 1
    assert draw["theta"] == 0.0 and draw["se"] > 0.9 and 1 <= draw["rank"] <= draw["top_k"]
    assert draw["eligible"] == 3 * PER_GRADE + 2  # with the small bank's two juniors
    # at theta 0 the middle questions (b = 0) are the most informative
    assert question.grade is GradeCode.MIDDLE
    tasks = [i for i in attempt.items if i.task_id is not None]
    assert [t.position for t in tasks] == [2 * CAP + 1]


def test_the_questions_follow_the_answers(app: Flask, adaptive_bank: None) -> None:
    """A candidate who answers everything right is asked harder questions than one who
    answers everything wrong; one question per competency comes first, then each is chosen
    for what its answer tells about the grade; both get each required competency's
    maximum, then stop."""
    factory = Factory()
    strong, _ = make_attempt(factory, name="Strong Candidate")
    weak, _ = make_attempt(factory, name="Weak Candidate")
    hard = _sit(strong, right=True)
    easy = _sit(weak, right=False)
    for sitting in (hard, easy):
        assert Counter(q.competency_code for q in sitting) == {"PY": CAP, "SQL": CAP}
        assert len({q.key for q in sitting}) == 2 * CAP
    assert sum(map(_difficulty, hard[2:])) > sum(map(_difficulty, easy[2:]))
    assert hard[-1].grade is not GradeCode.JUNIOR and easy[-1].grade is not GradeCode.SENIOR
    for attempt in (strong, weak):
        draws = [item.draw or {} for item, _ in _questions(attempt)]
        assert {d["competency"] for d in draws[:2]} == {"PY", "SQL"}
        assert all("planned" in d["why"] for d in draws[:2])
        assert all(d["why"].startswith("grade information") for d in draws[2:])
        assert all(d["criterion"] == "grade" for d in draws)
    last = _questions(strong)[-1][0].draw
    assert last is not None and last["theta"] > 0.5
    last_weak = _questions(weak)[-1][0].draw
    assert last_weak is not None and last_weak["theta"] < -0.5
    assert adaptive.complete(strong) and adaptive.advance(db.session, strong, 2 * CAP) is None


def test_the_draw_is_reproducible_from_the_seed_and_varies_between_seeds(
    app: Flask, adaptive_bank: None
) -> None:
    """Equal seeds and equal answers give equal questions in equal order (and option
    orders); other seeds spread over the equally informative questions."""
    factory = Factory()
    sittings = []
    for seed in (7, 7, 8, 9, 10):
        invitation, _ = make_invitation(factory, name=f"Seed {seed}")
        attempt = attempts.start_attempt(db.session, invitation, seed=seed)
        db.session.commit()
        sittings.append(attempt)
    keys = [[q.key for q in _sit(a, right=True)] for a in sittings]
    orders = [[i.option_order for i, _ in _questions(a)] for a in sittings[:2]]
    assert keys[0] == keys[1] and orders[0] == orders[1]
    assert len({tuple(k) for k in keys}) > 1


def test_a_calibration_during_the_attempt_leaves_the_drawn_questions_as_drawn(
    app: Flask, adaptive_bank: None
) -> None:
    """A question keeps the parameters it was drawn with: new calibrated values for it,
    stored mid-attempt, change neither the estimate the next draw starts from nor what
    comes next; they apply to the questions still to come."""
    factory = Factory()
    sittings = []
    for name in ("Before", "During"):
        invitation, _ = make_invitation(factory, name=name)
        sittings.append(attempts.start_attempt(db.session, invitation, seed=21))
        db.session.commit()
    first = [_questions(a)[0] for a in sittings]
    key, code = first[0][1].key, first[0][1].competency_code
    assert first[1][1].key == key

    def go_on(attempt: Attempt, item: AttemptItem, question: Question) -> tuple[float, float]:
        db.session.add(Answer(attempt_id=attempt.id, question_id=question.id, response=1,
                              score=1.0, revision=1))  # fmt: skip
        adaptive.advance(db.session, attempt, item.position)
        db.session.commit()
        return adaptive._engine(db.session, attempt)[0].abilities()[code]

    before = go_on(sittings[0], *first[0])
    db.session.add(ItemCalibration(
        organization_id=sittings[1].invitation.position.organization_id, question_key=key,
        competency_code=code, a=3.0, b=2.5, responses=500, calibrated=True, converged=True,
        data_digest="mid-attempt",
    ))  # fmt: skip
    db.session.commit()
    assert go_on(sittings[1], *first[1]) == before
    second = [(_questions(a)[1][0].draw or {})["item"] for a in sittings]
    assert second[0] == second[1]
    engine = adaptive._engine(db.session, sittings[1])[0]
    drawn_with = first[1][0].draw or {}
    assert engine.parameters(key) == (drawn_with["a"], drawn_with["b"]) != (3.0, 2.5)


def test_an_answer_is_final_once_the_next_question_is_drawn(
    app: Flask, adaptive_bank: None, client: FlaskClient
) -> None:
    """Through the candidate's pages: saving works until going on; then the earlier answer
    is refused (409, answer_final) and shown read-only; pressing twice draws once; after the
    last question the overview says the quiz is over and the task opens."""
    attempt, token = make_attempt(Factory())
    open_invitation(client, token)
    saved = api(client, "/attempt/api/items/1/answer", {"response": 1, "revision": 1}, "/attempt/1")
    assert saved.status_code == 200  # type: ignore[attr-defined]
    stale_form = client.get("/attempt/1").text.split('class="next-form"')[1]
    assert _next(client, 1).endswith("/attempt/2")
    again = client.post("/attempt/1/next", data={"csrf_token": csrf_token(stale_form)})
    assert again.status_code == 302 and again.headers["Location"].endswith("/attempt/2")
    assert len(_questions(attempt)) == 2
    changed = {"response": 0, "revision": 9}
    refused = api(client, "/attempt/api/items/1/answer", changed, "/attempt/1")
    assert refused.status_code == 409  # type: ignore[attr-defined]
    assert refused.get_json()["error"]["code"] == "answer_final"  # type: ignore[attr-defined]
    first = client.get("/attempt/1").text
    assert "This answer is final" in first and "<fieldset disabled" in first
    assert 'class="next-form"' not in first and 'href="/attempt/2"' in first
    answer = db.session.scalar(sa.select(Answer).where(Answer.attempt_id == attempt.id))
    assert answer is not None and answer.score == 1.0
    position = 2
    for _ in range(2 * CAP - 1):
        location = _next(client, position)
        position += 1
    assert location.endswith("/attempt")
    overview = client.get("/attempt").text
    assert "You have answered every question chosen for you" in overview
    assert f'href="/attempt/{2 * CAP + 1}"' in overview
    assert "Question 6" in overview and "Task 1" in overview and "Task 7" not in overview
    assert client.get(f"/attempt/{2 * CAP + 1}").status_code == 200


def test_retired_questions_are_never_drawn(app: Flask, adaptive_bank: None) -> None:
    """The organisation's retired questions leave the adaptive pool too."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    middle = db.session.scalars(
        sa.select(Question.key).where(Question.grade == GradeCode.MIDDLE)
    ).all()
    for key in middle:
        db.session.add(RetiredQuestion(organization_id=recruiter.organization_id,
                                       question_key=key, reason="leaked"))  # fmt: skip
    db.session.commit()
    attempt, _ = make_attempt(factory, recruiter)
    assert all(q.key not in middle for q in _sit(attempt, right=True))


def test_exposure_control_comes_from_the_organisations_own_selections(
    app: Flask, adaptive_bank: None
) -> None:
    """Once enough adaptive attempts exist, an item selected for more than a quarter of
    them is shown with probability r_max / rate, frozen on the next attempt; another
    organisation's attempts do not count."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    for n in range(adaptive.MIN_HISTORY):
        invitation, _ = make_invitation(factory, recruiter, name=f"Early {n}")
        attempts.start_attempt(db.session, invitation, seed=1000 + n)
    db.session.commit()
    draws = db.session.scalars(sa.select(AttemptItem.draw).where(AttemptItem.draw.is_not(None)))
    first = Counter(draw["item"] for draw in draws)
    rates = {key: count / adaptive.MIN_HISTORY for key, count in first.items()}
    expected = {k: round(adaptive.R_MAX / r, 4) for k, r in rates.items() if r > adaptive.R_MAX}
    assert expected, "some item was selected for more than a quarter of the attempts"
    attempt, _ = make_attempt(factory, recruiter, name="Later Candidate")
    assert attempt.adaptive is not None and attempt.adaptive["sympson_hetter"] == expected
    other = factory.user(Role.RECRUITER, organization=factory.organization("Other Ltd"))
    elsewhere, _ = make_attempt(factory, other, name="Elsewhere Candidate")
    assert elsewhere.adaptive is not None and elsewhere.adaptive["sympson_hetter"] == {}


def test_the_scorecard_has_bands_and_the_review_says_why_each_question_came(
    app: Flask, adaptive_bank: None, client: FlaskClient, auth: Auth
) -> None:
    """A finished adaptive attempt: each competency's estimate with its band from its own
    questions; the reviewer reads the draw record beside each answer."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    attempt, _ = make_attempt(factory, recruiter, name="Strong Candidate")
    _sit(attempt, right=True)
    attempt.state = AttemptState.FINISHED
    attempt.finished_at = utcnow()
    scorecards.recompute(db.session, attempt)
    db.session.commit()
    junior = item_review.grade_reliability(db.session, recruiter.organization_id)[0]
    assert (junior.grade, junior.attempts) == (GradeCode.JUNIOR, 0)  # no fixed form to judge
    measured = attempt.scorecard["measurement"]["competencies"]  # type: ignore[index]
    for code in ("PY", "SQL"):
        entry = measured[code]
        assert entry["items"] == CAP and entry["enough"]
        assert entry["low"] < entry["theta"] < entry["high"] and entry["theta"] > 0.5
    expected = attempt.scorecard["measurement"]["estimated_grade"]  # type: ignore[index]
    assert expected in ("middle", "senior")  # every answer right
    auth.login(factory.user(Role.ADMIN, organization=recruiter.organization).email)
    card = client.get(f"/insights/attempts/{attempt.id}/scorecard").text
    said = re.search(r'<span id="estimated-grade">From the estimates alone: (\w+) ', card)
    assert said is not None and said.group(1) == expected.capitalize()
    exported = client.get(f"/insights/positions/{attempt.invitation.position_id}/scorecards.csv")
    line = next(csv.DictReader(io.StringIO(exported.text)))
    assert (line["adaptive"], line["estimated_grade"]) == ("yes", expected)
    page = client.get(f"/review/attempts/{attempt.id}").text
    assert page.count("Chosen for ") == 2 * CAP
    assert re.search(r"Chosen for PY at its ability estimate 0\.0 \(standard error 1\.0", page)
    assert "Question 1 <span" in page and "Question 6 <span" in page


def test_an_admin_makes_a_grade_adaptive(
    app: Flask, bank: BankFactory, client: FlaskClient, auth: Auth
) -> None:
    """The blueprint form sets adaptive and the standard-error target (in range only);
    the organisation's next attempts are adaptive, others' are not."""
    factory = Factory()
    admin = factory.user(Role.ADMIN)
    auth.login(admin.email)
    page = client.get("/admin/blueprints/junior").text
    data = {"csrf_token": csrf_token(page), "time_limit_minutes": "30", "task_count": "1",
            "task_kinds": "implement", "break_minutes": "0", "count_PY": "2", "count_SQL": "2",
            "count_ASYNC": "0", "adaptive": "y", "se_target": "5"}  # fmt: skip
    refused = client.post("/admin/blueprints/junior", data=data)
    assert refused.status_code == 422
    saved = client.post("/admin/blueprints/junior", data={**data, "se_target": "0.35"})
    assert saved.status_code == 302
    own = blueprints.own_for(db.session, admin.organization_id, GradeCode.JUNIOR)
    assert own is not None and own.adaptive and own.se_target == pytest.approx(0.35)
    assert "adaptive" in client.get("/admin/blueprints").text
    entry = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "blueprint.updated")
    ).one()
    # only what changed, before and after (the bank's default draws every task: None)
    assert entry.details["changes"] == {
        "adaptive": [False, True], "se_target": [0.4, 0.35], "task_count": [None, 1]
    }  # fmt: skip
    again = client.post("/admin/blueprints/junior", data={**data, "se_target": "0.35"})
    assert again.status_code == 302
    entries = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "blueprint.updated")
        .order_by(AuditEvent.id)
    ).all()
    assert len(entries) == 2 and entries[1].details["changes"] == {}  # saved, nothing changed
    ours, _ = make_attempt(factory, factory.user(Role.RECRUITER, organization=admin.organization))
    assert ours.adaptive is not None and ours.adaptive["se_target"] == pytest.approx(0.35)
    # the rule bench/adaptive.py measured: grade-decision selection, exposure at most 0.2
    assert (ours.adaptive["balance"], ours.adaptive["selection"]) == ("decision", "grade")
    assert ours.adaptive["r_max"] == 0.2
    theirs, _ = make_attempt(
        factory, factory.user(Role.RECRUITER, organization=factory.organization("Other Ltd"))
    )
    assert theirs.adaptive is None and len(theirs.items) == 5
    fixed = db.session.scalars(sa.select(Attempt.id).where(Attempt.adaptive.is_(None))).all()
    assert fixed == [theirs.id]  # stored as SQL NULL, so queries can tell the two apart


def test_sections_and_the_deadline_bound_the_adaptive_quiz(
    app: Flask, adaptive_bank: None, client: FlaskClient
) -> None:
    """With a break between sections, going on is refused once the quiz section ended (the
    answer so far stays as saved, nothing is drawn); after the deadline the candidate is
    sent to the end page and nothing is drawn either."""
    default = blueprints.default_for(db.session, GradeCode.JUNIOR)
    assert default is not None
    default.break_minutes = 10
    db.session.commit()
    factory = Factory()
    attempt, token = make_attempt(factory)
    open_invitation(client, token)
    assert _next(client, 1).endswith("/attempt/2")
    form = client.get("/attempt/2").text.split('class="next-form"')[1]
    overview = client.get("/attempt").text.split('class="section-form"')[1]
    assert (
        client.post("/attempt/break", data={"csrf_token": csrf_token(overview)}).status_code == 302
    )
    late = client.post("/attempt/2/next", data={"csrf_token": csrf_token(form)})
    assert late.status_code == 302 and late.headers["Location"].endswith("/attempt/break")
    client.post(
        "/attempt/resume", data={"csrf_token": csrf_token(client.get("/attempt/break").text)}
    )
    refused = client.post("/attempt/2/next", data={"csrf_token": csrf_token(form)})
    assert refused.status_code == 409 and "quiz section has ended" in refused.text
    first = re.search(r'href="(/attempt/\d+)">Go to the first item', client.get("/attempt").text)
    assert first is not None and first.group(1) == f"/attempt/{2 * CAP + 1}"  # the task
    assert len(_questions(attempt)) == 2 and _questions(attempt)[-1][0].final_at is None

    other, other_token = make_attempt(factory, name="Late Candidate")
    late_client = app.test_client()
    open_invitation(late_client, other_token)
    form = late_client.get("/attempt/1").text.split('class="next-form"')[1]
    other.started_at = utcnow() - timedelta(hours=1)
    other.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    gone = late_client.post("/attempt/1/next", data={"csrf_token": csrf_token(form)})
    assert gone.status_code == 302 and gone.headers["Location"].endswith("/attempt/done")
    assert len(_questions(other)) == 1


def test_questions_added_to_the_pool_during_an_attempt_stay_out_of_the_task_positions(
    app: Flask, adaptive_bank: None
) -> None:
    """A competency's maximum is capped by its pool when the attempt starts: questions that
    return to the draws later never take the coding task's position."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    sql = db.session.scalars(sa.select(Question.key).where(Question.competency_code == "SQL"))
    for key in list(sql)[1:]:
        db.session.add(RetiredQuestion(organization_id=recruiter.organization_id,
                                       question_key=key, reason="under review"))  # fmt: skip
    db.session.commit()
    attempt, _ = make_attempt(factory, recruiter)
    assert attempt.adaptive is not None and attempt.adaptive["plan"] == {"PY": CAP, "SQL": 1}
    db.session.execute(sa.delete(RetiredQuestion))
    db.session.commit()
    sitting = _sit(attempt, right=True)
    assert Counter(q.competency_code for q in sitting) == {"PY": CAP, "SQL": 1}
    positions = sorted(i.position for i in attempt.items)
    assert positions == list(range(1, CAP + 3))


def test_exposure_counts_adaptive_draws_of_every_grade(app: Flask, adaptive_bank: None) -> None:
    """A middle question drawn by junior adaptive attempts shows their share on the item
    review (the attempts that could draw it: every adaptive attempt)."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    made = [make_attempt(factory, recruiter, name=f"Cand {n}")[0] for n in range(3)]
    for attempt in made:
        _sit(attempt, right=True)
    drawn = Counter(q.key for a in made for _, q in _questions(a))
    key, count = next((k, c) for k, c in drawn.items() if "-m-" in k)
    exposure = item_review.exposures(db.session, recruiter.organization_id)
    assert exposure[key, GradeCode.MIDDLE] == item_review.Exposure(count, 3)


def test_the_data_export_hides_question_keys_while_an_adaptive_attempt_runs(
    app: Flask, adaptive_bank: None, client: FlaskClient
) -> None:
    """A key names its grade, which would tell whether the answer before was right: the
    export says "question N" until the attempt ends."""
    attempt, token = make_attempt(Factory())
    open_invitation(client, token)
    api(client, "/attempt/api/items/1/answer", {"response": 1, "revision": 1}, "/attempt/1")
    document = candidate_data.export(db.session, attempt.invitation)
    assert [a["question"] for a in document["attempt"]["answers"]] == ["question 1"]
    attempt.state = AttemptState.FINISHED
    db.session.commit()
    document = candidate_data.export(db.session, attempt.invitation)
    assert document["attempt"]["answers"][0]["question"] == _questions(attempt)[0][1].key


def test_an_adaptive_blueprint_of_tasks_only_reads_as_a_fixed_one(
    app: Flask, adaptive_bank: None, client: FlaskClient
) -> None:
    """Without quiz questions there is nothing to adapt: the overview neither promises
    questions one at a time ("at most 0") nor says the questions are answered."""
    default = blueprints.default_for(db.session, GradeCode.JUNIOR)
    assert default is not None
    default.questions_per_competency = {}
    db.session.commit()
    attempt, token = make_attempt(Factory())
    assert attempt.adaptive is not None and attempt.adaptive["slots"] == 0
    assert [i.task_id is not None for i in attempt.items] == [True]
    open_invitation(client, token)
    overview = client.get("/attempt").text
    assert "one at a time" not in overview and "at most 0" not in overview
    assert "every question chosen for you" not in overview
    assert 'href="/attempt/1"' in overview


def test_classical_figures_leave_adaptive_attempts_out(
    app: Flask, adaptive_bank: None, client: FlaskClient, auth: Auth
) -> None:
    """Facility and discrimination come from fixed forms only (an adaptive question follows
    the answers before it); the same finished adaptive attempt still counts in exposure."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    fixed, _ = make_attempt(factory, recruiter=recruiter, name="Fixed Form")
    fixed.adaptive = None  # as drawn before the blueprint became adaptive
    for item in fixed.items:
        item.draw = None
    shown, _ = make_attempt(factory, recruiter=recruiter, name="Adaptive Form")
    _sit(shown, right=True)
    for attempt in (fixed, shown):
        attempt.state = AttemptState.FINISHED
        attempt.finished_at = utcnow()
    db.session.commit()
    organization_id = recruiter.organization_id
    data = item_stats.closed_data(db.session, organization_id)
    assert set(data.scores) == {fixed.id}
    exposure = item_review.exposures(db.session, organization_id)
    assert all(exposure[q.key, q.grade].drawn >= 1 for _, q in _questions(shown))
    admin = factory.user(Role.ADMIN, organization=recruiter.organization)
    auth.login(admin.email)
    page = client.get("/insights/items").text
    assert "come from fixed-form attempts only" in page


def test_an_adaptive_quiz_without_tasks_starts_with_its_first_question(
    app: Flask, adaptive_bank: None
) -> None:
    """A blueprint that draws no task: the start writes the attempt and its first question
    only, and the attempt has nothing else."""
    default = blueprints.default_for(db.session, GradeCode.JUNIOR)
    assert default is not None
    default.task_kinds = []
    db.session.commit()
    attempt, _ = make_attempt(Factory())
    db.session.expire_all()
    items = db.session.get(Attempt, attempt.id).items  # type: ignore[union-attr]
    assert [(i.position, i.task_id is None, i.draw is not None) for i in items] == [(1, True, True)]
