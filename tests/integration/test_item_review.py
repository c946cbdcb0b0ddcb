"""The admin's item review: distractors by ability third, exposure, fitted parameters and
their flags, each grade's reliability, and retiring questions from the organisation's draws
(audited, organisation-scoped, past attempts untouched)."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import (
    Answer,
    Attempt,
    AttemptItem,
    AuditEvent,
    GradeCode,
    ItemCalibration,
    Position,
    Question,
    RetiredQuestion,
    Role,
    User,
)
from assess.services import attempts, blueprints, invitations, item_review, item_stats
from tests.conftest import Auth, BankFactory, Factory

RIGHT = {"py-j-902": [0, 2], "sql-j-901": "3", "sql-j-902": ["x", "y", "z"]}
WRONG = {"py-j-902": [1], "sql-j-901": "7", "sql-j-902": ["z", "y", "x"]}


def signed_in(app: Flask, user: User) -> FlaskClient:
    """A new client signed in as ``user``."""
    client = app.test_client()
    assert Auth(client).login(user.email).status_code == 302
    return client


def token(client: FlaskClient) -> str:
    """A CSRF token of the signed-in session (any form's token serves every form)."""
    match = re.search(r'name="[^"]*csrf_token"[^>]*value="([^"]+)"', client.get("/dashboard").text)
    assert match
    return match.group(1)


def display(item: AttemptItem, question: Question, response: Any) -> Any:
    """A response in bank terms turned into the page's (displayed option indices)."""
    if question.type not in ("single", "multiple"):
        return response
    order = item.option_order or list(range(len(question.body["options"])))
    if question.type == "single":
        return order.index(response)
    return [order.index(r) for r in response]


def sit(
    position: Position,
    recruiter: User,
    name: str,
    seed: int,
    picks: dict[str, Any],
    right: int = 0,
    finish: bool = True,
) -> Attempt:
    """An attempt answering ``picks`` (question key: response in bank terms, None: left
    blank); of the other questions the first ``right`` of :data:`RIGHT`'s keys answered right,
    the others wrong."""
    invitation, _ = invitations.invite(
        db.session, position, name, f"{name.replace(' ', '').lower()}{seed}@example.com", recruiter
    )
    attempt = attempts.start_attempt(db.session, invitation, seed=seed)
    right_keys = list(RIGHT)[:right]
    for item in attempt.items:
        if item.question_id is None:
            continue
        question = db.session.get(Question, item.question_id)
        assert question is not None
        if question.key in picks:
            response = picks[question.key]
        elif question.key in RIGHT:
            response = RIGHT[question.key] if question.key in right_keys else WRONG[question.key]
        else:
            continue
        if response is None:
            continue
        attempts.save_answer(
            db.session, attempt, item.position, display(item, question, response), 1
        )
    if finish:
        attempts.finish_attempt(db.session, attempt)
    db.session.commit()
    return attempt


class World:
    """An organisation with an admin and a recruiter's junior position, and another
    organisation with the same."""

    def __init__(self, factory: Factory) -> None:
        """Make both organisations."""
        self.org = factory.organization("Home")
        self.admin = factory.user(Role.ADMIN, organization=self.org)
        self.recruiter = factory.user(Role.RECRUITER, organization=self.org)
        self.position = invitations.create_position(
            db.session, self.recruiter, "Backend", GradeCode.JUNIOR
        )
        self.other = factory.organization("Rival")
        self.their_admin = factory.user(Role.ADMIN, organization=self.other)
        self.their_recruiter = factory.user(Role.RECRUITER, organization=self.other)
        self.their_position = invitations.create_position(
            db.session, self.their_recruiter, "Theirs", GradeCode.JUNIOR
        )
        db.session.commit()


@pytest.fixture
def world(app: Flask, factory: Factory, bank: BankFactory) -> World:
    """Both organisations on the small bank."""
    return World(factory)


def review_of(organization_id: int, key: str) -> item_review.ItemReview:
    """The organisation's review of question ``key``."""
    return next(
        r for r in item_review.bank_review(db.session, organization_id) if r.question.key == key
    )


def distractor_world(world: World) -> None:
    """Nine respondents of py-j-901 (options a, b, c; key b) in three clear ability
    groups: the low third (nothing else right) picks c, c, b; the middle third (two others
    right) b, b, c; the high third (everything else right) c, c, b. Nobody picks a."""
    groups = [(0, [2, 2, 1]), (2, [1, 1, 2]), (3, [2, 2, 1])]
    seed = 100
    for right, picks in groups:
        for pick in picks:
            seed += 1
            sit(world.position, world.recruiter, f"Cand {seed}", seed, {"py-j-901": pick}, right)


def test_distractor_shares_by_ability_third_and_their_flags(world: World) -> None:
    """Shares overall and by third match the constructed answers; the unchosen distractor
    and the one the high third prefers to the key are flagged."""
    distractor_world(world)
    review = review_of(world.org.id, "py-j-901")
    analysis = review.distractors
    assert analysis is not None
    assert analysis.respondents == 9
    assert analysis.third_sizes == (3, 3, 3)
    a, b, c = analysis.options
    assert (a.text, a.is_key, a.chosen, a.share) == ("a", False, 0, 0.0)
    assert (b.is_key, b.chosen) == (True, 4)
    assert c.chosen == 5
    assert b.by_third == pytest.approx((1 / 3, 2 / 3, 1 / 3))
    assert c.by_third == pytest.approx((2 / 3, 1 / 3, 2 / 3))
    assert a.by_third == (0.0, 0.0, 0.0)
    assert item_review.FLAG_UNCHOSEN in review.flags
    assert item_review.FLAG_DISTRACTOR_HIGH in review.flags
    multiple = review_of(world.org.id, "py-j-902").distractors
    assert multiple is not None
    shares = {o.text: (o.is_key, o.chosen) for o in multiple.options}
    assert shares == {"a": (True, 6), "b": (False, 3), "c": (True, 6), "d": (False, 0)}
    assert item_review.FLAG_UNCHOSEN in review_of(world.org.id, "py-j-902").flags
    assert review_of(world.org.id, "sql-j-901").distractors is None


def test_distractors_are_not_judged_with_few_respondents(world: World) -> None:
    """Four respondents who never pick a: no distractor flag yet."""
    for seed, pick in enumerate([1, 2, 1, 2], start=200):
        sit(world.position, world.recruiter, f"Few {seed}", seed, {"py-j-901": pick}, 3)
    review = review_of(world.org.id, "py-j-901")
    assert review.distractors is not None
    assert review.distractors.options[0].chosen == 0
    assert review.flags == (item_stats.FLAG_FEW,)
    assert review.review_flags == ()


def test_a_key_the_strong_prefer_is_not_flagged(world: World) -> None:
    """When the high third picks the key most, no "distractor beats key" flag."""
    groups = [(0, [2, 0]), (2, [1, 2]), (3, [1, 1])]
    seed = 300
    for right, picks in groups:
        for pick in picks:
            seed += 1
            sit(world.position, world.recruiter, f"Fair {seed}", seed, {"py-j-901": pick}, right)
    review = review_of(world.org.id, "py-j-901")
    assert review.distractors is not None
    assert review.distractors.options[1].by_third[2] == 1.0
    assert item_review.FLAG_DISTRACTOR_HIGH not in review.flags
    assert item_review.FLAG_UNCHOSEN not in review.flags


def _distractor_rows(page: str) -> list[str]:
    """The rows of the page's distractor table, each from its option's header cell on."""
    table = re.search(r'<table class="distractors">(.*?)</table>', page, re.S)
    assert table is not None
    return re.findall(r"<tr[^>]*>\s*<th scope=\"row\">(.*?)</tr>", table.group(1), re.S)


def _row_label(row: str) -> str:
    """The option text a distractor row starts with (before its key badge and cells)."""
    found = re.match(r"\s*([^<]*?)\s*(<|$)", row)
    assert found is not None
    return found.group(1)


def test_the_page_shows_distractors_queue_and_detail(app: Flask, world: World) -> None:
    """The queue at the top lists the flagged questions with a retire form; the detail page
    has the distractor table by third."""
    distractor_world(world)
    client = signed_in(app, world.admin)
    page = client.get("/insights/items").text
    queue = page[page.index("To review") : page.index("Every question")]
    assert "py-j-901" in queue
    assert "a distractor nobody chose" in queue
    assert "a distractor the strongest third prefers to the key" in queue
    assert 'action="/insights/items/py-j-901/retire"' in queue
    assert "An item shown to most candidates leaks" in page
    detail = client.get("/insights/items/py-j-901")
    assert detail.status_code == 200
    rows = _distractor_rows(detail.text)
    cells = [re.findall(r'<td class="share">([^<]*)', row) for row in rows]
    assert [c[1:] for c in cells] == [
        ["0%", "0%", "0%"],
        ["33%", "67%", "33%"],
        ["67%", "33%", "67%"],
    ]
    assert [c[0].strip() for c in cells] == ["0%", "44%", "56%"]
    assert [_row_label(row) for row in rows] == ["a", "b", "c"]
    assert client.get("/insights/items/no-such-key").status_code == 404

    # in Russian, the options read as the item's Russian texts (the shares stay the same)
    question = db.session.scalar(sa.select(Question).where(Question.key == "py-j-901"))
    assert question is not None
    question.ru = {"prompt": "Выберите **б**.", "options": ["а", "б", "в"]}
    world.admin.locale = "ru"
    db.session.commit()
    russian = _distractor_rows(client.get("/insights/items/py-j-901").text)
    assert [_row_label(row) for row in russian] == ["а", "б", "в"]


def test_exposure_counts_the_attempts_of_the_grade_that_drew_it(
    world: World, factory: Factory
) -> None:
    """With three PY questions and two drawn per attempt, each question's exposure is the
    share of the organisation's attempts that drew it; other organisations' attempts never
    count; over the cap with enough attempts is flagged."""
    db.session.add(
        Question(
            key="py-j-903",
            competency_code="PY",
            grade=GradeCode.JUNIOR,
            type="single",
            weights={"PY": 1.0},
            body={"prompt": "Pick a.", "options": ["a", "b"]},
            answer=0,
            explanation="Because.",
            content_hash="py-j-903",
        )
    )
    db.session.commit()
    own = [sit(world.position, world.recruiter, f"Own {s}", s, {}, 0) for s in range(400, 406)]
    for seed in range(410, 414):
        sit(world.their_position, world.their_recruiter, f"Their {seed}", seed, {}, 0)
    open_one = sit(world.position, world.recruiter, "Open", 420, {}, 0, finish=False)
    everyone = [*own, open_one]
    exposure = item_review.exposures(db.session, world.org.id)
    key_of = {q.id: q.key for q in db.session.scalars(sa.select(Question))}
    for key in ("py-j-901", "py-j-902", "py-j-903"):
        drawn = sum(
            any(key_of[i.question_id] == key for i in a.items if i.question_id) for a in everyone
        )
        assert 0 < drawn < 7  # two of three drawn: the shares differ from 1
        assert exposure[key, GradeCode.JUNIOR] == item_review.Exposure(drawn, 7)
    assert exposure["sql-j-901", GradeCode.JUNIOR].share == 1.0
    assert item_review.FLAG_EXPOSED in review_of(world.org.id, "sql-j-901").flags
    assert not item_review.Exposure(3, 10).over_cap
    assert item_review.Exposure(4, 10).over_cap
    assert not item_review.Exposure(4, 4).over_cap  # too few attempts to judge


def test_fitted_parameters_and_information(app: Flask, world: World) -> None:
    """A calibrated row shows a and b with their errors and flags a < 0.2; without a row the
    prior of the grade; the information curve's data is a^2 P (1 - P)."""
    for seed in range(500, 505):
        sit(world.position, world.recruiter, f"Fit {seed}", seed, {"py-j-901": 1}, 3)
    db.session.add(
        ItemCalibration(
            organization_id=world.org.id,
            question_key="py-j-901",
            competency_code="PY",
            a=0.1,
            b=0.5,
            se_a=0.05,
            se_b=0.3,
            responses=60,
            calibrated=True,
            converged=True,
            data_digest="x" * 64,
        )
    )
    db.session.add(
        ItemCalibration(
            organization_id=world.other.id,
            question_key="py-j-902",
            competency_code="PY",
            a=0.05,
            b=0.0,
            se_a=0.01,
            se_b=0.1,
            responses=60,
            calibrated=True,
            converged=True,
            data_digest="y" * 64,
        )
    )
    db.session.commit()
    assert item_review.FLAG_WEAK_FIT in review_of(world.org.id, "py-j-901").flags
    assert item_review.FLAG_WEAK_FIT not in review_of(world.org.id, "py-j-902").flags
    client = signed_in(app, world.admin)
    page = client.get("/insights/items").text
    table = page[page.index("Every question") :]
    row = re.search(r"py-j-901</code></a>.*?</tr>", table, re.S)
    assert row is not None
    assert "a 0.10 ± 0.05, b 0.50 ± 0.30" in row.group(0)
    assert "fitted discrimination near zero or negative" in row.group(0)
    other_row = re.search(r"py-j-902</code></a>.*?</tr>", table, re.S)
    assert other_row is not None
    assert "prior of its grade, not calibrated" in other_row.group(0)
    data = client.get("/insights/items/py-j-901/information.json").get_json()
    assert data["labels"][0] == "-3" and data["labels"][-1] == "3"
    values = dict(zip(data["labels"], data["datasets"][0]["data"], strict=True))
    p = 1 / (1 + math.exp(-0.1 * (1 - 0.5)))
    assert values["1"] == pytest.approx(0.01 * p * (1 - p), abs=1e-4)
    detail = client.get("/insights/items/py-j-901").text
    assert (
        'class="information-chart" data-chart-url="/insights/items/py-j-901/information.json"'
        in detail
    )
    assert '<table class="information">' in detail


def retire(client: FlaskClient, key: str, reason: str, back: str = "detail") -> Any:
    """Post the retire form of ``key``."""
    prefix = f"retire-{key}-"
    return client.post(
        f"/insights/items/{key}/retire",
        data={
            prefix + "csrf_token": token(client),
            prefix + "reason": reason,
            prefix + "back": back,
        },
    )


def return_(client: FlaskClient, key: str) -> Any:
    """Post the "return to draws" form of ``key``."""
    prefix = f"return-{key}-"
    return client.post(
        f"/insights/items/{key}/return",
        data={prefix + "csrf_token": token(client), prefix + "back": "items"},
    )


def test_retire_and_return_are_audited(app: Flask, world: World) -> None:
    """Retiring stores the reason, who and when, and is audited; the page shows it retired;
    returning lets draws pick it again, audited too."""
    sit(world.position, world.recruiter, "Past", 600, {"py-j-901": 1}, 3)
    client = signed_in(app, world.admin)
    response = retire(client, "py-j-901", "  Options <b>leak</b>\non forums.  ", back="items")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/insights/items")
    row = db.session.scalar(sa.select(RetiredQuestion))
    assert row is not None
    assert (row.organization_id, row.question_key) == (world.org.id, "py-j-901")
    assert row.reason == "Options <b>leak</b>\non forums."
    assert row.retired_by_id == world.admin.id
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "question.retired"))
    assert event is not None
    assert (event.actor_id, event.object_id) == (world.admin.id, "py-j-901")
    assert event.details["reason"] == row.reason
    page = client.get("/insights/items").text
    retired = page[page.index("Retired questions") :]
    assert "py-j-901" in retired
    assert world.admin.email in retired
    assert "Options &lt;b&gt;leak&lt;/b&gt;" in retired
    assert "<b>leak" not in page
    detail = client.get("/insights/items/py-j-901").text
    assert "Return to draws" in detail
    again = retire(client, "py-j-901", "twice")
    assert again.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count(RetiredQuestion.id))) == 1
    assert return_(client, "py-j-901").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(RetiredQuestion)) is None
    back = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "question.returned"))
    assert back is not None
    assert back.details["retired_reason"] == "Options <b>leak</b>\non forums."
    assert return_(client, "py-j-901").status_code == 404


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "This field is required."),
        ("   \n ", "This field is required."),
        ("x" * 501, "Field cannot be longer than 500 characters."),
        ("bad\x00byte", "Remove the control characters (such as NUL) from the text."),
        ("bell\x07", "Remove the control characters (such as NUL) from the text."),
    ],
)
def test_a_bad_reason_is_refused_with_its_message(
    app: Flask, world: World, reason: str, message: str
) -> None:
    """422 with the message by the field; nothing is stored or audited."""
    client = signed_in(app, world.admin)
    for back in ("detail", "items"):
        response = retire(client, "py-j-902", reason, back=back)
        assert response.status_code == 422
        assert message in response.text
        assert 'aria-invalid="true"' in response.text
    assert db.session.scalar(sa.select(sa.func.count(RetiredQuestion.id))) == 0
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action.like("question.%"))
        )
        == 0
    )
    ok = retire(client, "py-j-902", "x" * 500)
    assert ok.status_code == 302


def test_only_the_organisations_admin_sees_and_retires(app: Flask, world: World) -> None:
    """Recruiters get 403; another organisation's admin never sees the retirement, cannot
    return it (404) and retiring the same key there is that organisation's own; without a
    CSRF token nothing happens."""
    client = signed_in(app, world.admin)
    assert retire(client, "py-j-901", "Secret reason of Home").status_code == 302
    recruiter = signed_in(app, world.recruiter)
    assert recruiter.get("/insights/items").status_code == 403
    assert recruiter.get("/insights/items/py-j-901").status_code == 403
    assert recruiter.get("/insights/items/py-j-901/information.json").status_code == 403
    assert retire(recruiter, "py-j-902", "no").status_code == 403
    assert return_(recruiter, "py-j-901").status_code == 403
    theirs = signed_in(app, world.their_admin)
    assert "Secret reason of Home" not in theirs.get("/insights/items").text
    assert "Secret reason of Home" not in theirs.get("/insights/items/py-j-901").text
    assert return_(theirs, "py-j-901").status_code == 404
    assert db.session.scalar(sa.select(RetiredQuestion.organization_id)) == world.org.id
    assert retire(theirs, "py-j-901", "Their own reason").status_code == 302
    rows = db.session.execute(
        sa.select(RetiredQuestion.organization_id, RetiredQuestion.reason).order_by(
            RetiredQuestion.id
        )
    ).all()
    assert [tuple(r) for r in rows] == [
        (world.org.id, "Secret reason of Home"),
        (world.other.id, "Their own reason"),
    ]
    no_token = theirs.post(
        "/insights/items/py-j-902/retire", data={"retire-py-j-902-reason": "no token"}
    )
    assert no_token.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(RetiredQuestion.id))) == 2
    anonymous = app.test_client().get("/insights/items/py-j-901")
    assert anonymous.status_code == 302


def test_a_retired_question_is_never_drawn_but_past_attempts_keep_it(
    app: Flask, world: World
) -> None:
    """After retiring py-j-901 the organisation's new attempts never draw it while another
    organisation's still do; an attempt that drew it before keeps it, its answer and score,
    on the review page and in the statistics."""
    key_of = {q.id: q.key for q in db.session.scalars(sa.select(Question))}
    past = sit(world.position, world.recruiter, "Before", 700, {"py-j-901": 1}, 3)
    client = signed_in(app, world.admin)
    assert retire(client, "py-j-901", "Leaked.").status_code == 302
    for seed in range(710, 720):
        fresh = sit(world.position, world.recruiter, f"After {seed}", seed, {}, 0, finish=False)
        keys = {key_of[i.question_id] for i in fresh.items if i.question_id}
        assert "py-j-901" not in keys
        assert "py-j-902" in keys
        theirs = sit(world.their_position, world.their_recruiter, f"T {seed}", seed, {}, 0, False)
        assert "py-j-901" in {key_of[i.question_id] for i in theirs.items if i.question_id}
    blueprint = blueprints.effective(db.session, world.org.id, GradeCode.JUNIOR)
    assert blueprint is not None
    drawn = attempts.draw_items(db.session, blueprint, 5, organization_id=world.org.id)
    assert "py-j-901" not in {key_of[i.question_id] for i in drawn if i.question_id}
    anywhere = attempts.draw_items(db.session, blueprint, 5)
    assert "py-j-901" in {key_of[i.question_id] for i in anywhere if i.question_id}
    db.session.expire_all()
    kept = db.session.get(Attempt, past.id)
    assert kept is not None
    assert "py-j-901" in {key_of[i.question_id] for i in kept.items if i.question_id}
    review = client.get(f"/review/attempts/{past.id}")
    assert review.status_code == 200
    assert "Pick <strong>b</strong>." in review.text
    page = client.get("/insights/items").text
    row = re.search(
        r'<tr class="[^"]*retired[^"]*">\s*<th scope="row"><a[^>]*><code>py-j-901', page
    )
    assert row is not None
    stat = review_of(world.org.id, "py-j-901")
    assert stat.stat.seen == 1
    assert stat.retirement is not None and stat.retirement.reason == "Leaked."
    assert "py-j-901" not in [r.question.key for r in item_review.review_queue([stat])]


def expected_alpha(matrix: list[list[float]]) -> float:
    """Cronbach's alpha written out (population variances)."""
    x = np.asarray(matrix, dtype=float)
    k = x.shape[1]
    return float(k / (k - 1) * (1 - x.var(axis=0).sum() / x.sum(axis=1).var()))


def test_reliability_of_each_grade(app: Flask, world: World) -> None:
    """With fewer than ten complete attempts the page says so; with twelve the coefficient
    is alpha over each attempt's parts (the n-th question of each competency), another
    organisation's attempts apart, and an attempt that left a question blank left out."""
    client = signed_in(app, world.admin)
    assert "not enough attempts yet" in client.get("/insights/items").text
    plan = [(4, 1), (3, 1), (2, 2), (1, 2), (0, 0), (4, 2), (2, 1), (3, 2), (1, 1), (0, 2)]
    plan += [(4, 1), (2, 0)]
    matrix: list[list[float]] = []
    for index, (right, pick) in enumerate(plan):
        attempt = sit(
            world.position, world.recruiter, f"Rel {index}", 800 + index, {"py-j-901": pick}, right
        )
        scores: dict[str, list[float]] = {"PY": [], "SQL": []}
        answers = {
            a.question_id: a.score
            for a in db.session.scalars(sa.select(Answer).where(Answer.attempt_id == attempt.id))
        }
        for item in sorted(attempt.items, key=lambda i: i.position):
            if item.question_id is None:
                continue
            question = db.session.get(Question, item.question_id)
            assert question is not None
            scores[question.competency_code].append(float(answers[item.question_id] or 0.0))
        matrix.append(scores["PY"] + scores["SQL"])
    sit(world.position, world.recruiter, "Blank", 900, {"py-j-901": None}, 4)
    for seed in range(910, 915):
        sit(world.their_position, world.their_recruiter, f"T {seed}", seed, {"py-j-901": 1}, 4)
    rows = {r.grade: r for r in item_review.grade_reliability(db.session, world.org.id)}
    junior = rows[GradeCode.JUNIOR]
    assert (junior.parts, junior.attempts) == (4, 12)
    binary = all(v in (0.0, 1.0) for row in matrix for v in row)
    assert junior.method == ("kr20" if binary else "alpha")
    assert junior.value == pytest.approx(expected_alpha(matrix))
    page = client.get("/insights/items").text
    assert f"{junior.value:.2f}" in page[page.index("Reliability of each grade") :]
