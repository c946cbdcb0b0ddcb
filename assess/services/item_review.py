"""Reviewing the bank's questions from the organisation's own candidates, and retiring the
ones that do not work.

Beside the classical figures of :mod:`assess.services.item_stats` each question gets:

- a distractor analysis (single and multiple choice): the share of its respondents who chose
  each option, overall and by ability third. A respondent's ability is the score on the rest
  of the attempt (every other question and coding task); the respondents are ranked by it
  (ties by attempt id, so the split is reproducible) and cut into a low, a middle and a high
  third. A distractor nobody chose does no work; one the high third chose more often than the
  key is misleading strong candidates (for multiple choice: more often than the least chosen
  correct option);
- its exposure: the share of the organisation's attempts of the question's grade that drew
  it (any version). An item shown to most candidates leaks: they talk to each other;
- its fitted 2PL parameters (``ItemCalibration``), when ``flask bank calibrate`` wrote them,
  and the item information curve they imply;
- whether the organisation retired it from future draws, with the reason, who and when.

Retiring only keeps a question out of future draws: attempts that drew it keep it, their
answers and scores. Both retiring and returning it to draws are audited. The reliability of
each grade's fixed form (Cronbach's alpha, KR-20 when every score is 0 or 1) is computed here
too, over the organisation's closed attempts.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import sqlalchemy as sa

from assess.bank.spec import CHOICE_TYPES
from assess.errors import Conflict, NotFound
from assess.extensions import DbSession
from assess.measurement import irt, reliability
from assess.models import (
    Attempt,
    AttemptItem,
    Competency,
    GradeCode,
    Invitation,
    ItemCalibration,
    Position,
    Question,
    RetiredQuestion,
    User,
)
from assess.services import audit, blueprints, item_stats
from assess.services.item_stats import ClosedData, ItemStat
from assess.textrules import checked_multi_line

EXPOSURE_CAP = 0.3  # an item drawn in more than this share of a grade's attempts leaks
MIN_FITTED_A = 0.2  # a fitted discrimination below this separates nobody (or inverts)
MAX_REASON = 500
MIN_RELIABILITY_ATTEMPTS = 10  # complete attempts of a grade before alpha says anything
THETAS: tuple[float, ...] = tuple(-3.0 + 0.5 * i for i in range(13))
THIRDS = ("low", "middle", "high")

FLAG_UNCHOSEN = "unchosen_distractor"
FLAG_DISTRACTOR_HIGH = "distractor_beats_key"
FLAG_EXPOSED = "overexposed"
FLAG_WEAK_FIT = "weak_fitted_discrimination"


@dataclass(frozen=True)
class OptionShare:
    """One option of a choice question: how many respondents chose it, their share, and the
    share of each ability third (low, middle, high; None for an empty third)."""

    index: int
    text: str
    is_key: bool
    chosen: int
    share: float | None
    by_third: tuple[float | None, float | None, float | None]


@dataclass(frozen=True)
class Distractors:
    """The distractor analysis of one question version."""

    respondents: int
    third_sizes: tuple[int, int, int]
    options: tuple[OptionShare, ...]
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Exposure:
    """In how many of the organisation's attempts that could draw a question it was drawn
    (fixed attempts of its grade and adaptive attempts)."""

    drawn: int
    attempts: int

    @property
    def share(self) -> float | None:
        """The drawn share, None without attempts."""
        return self.drawn / self.attempts if self.attempts else None

    @property
    def over_cap(self) -> bool:
        """Drawn in more than :data:`EXPOSURE_CAP` of enough attempts to judge."""
        share = self.share
        return (
            share is not None and self.attempts >= item_stats.MIN_RESPONSES and share > EXPOSURE_CAP
        )


@dataclass(frozen=True)
class Retirement:
    """A question the organisation retired: why, by whom (None: a deleted account), when."""

    key: str
    reason: str
    by: str | None
    at: datetime


@dataclass(frozen=True)
class ItemReview:
    """Everything the item pages show of one question version."""

    question: Question
    stat: ItemStat
    distractors: Distractors | None
    exposure: Exposure
    calibration: ItemCalibration | None
    retirement: Retirement | None
    flags: tuple[str, ...]

    @property
    def review_flags(self) -> tuple[str, ...]:
        """The flags that put the question in the review queue (not "few responses")."""
        return tuple(flag for flag in self.flags if flag != item_stats.FLAG_FEW)


@dataclass(frozen=True)
class FormReliability:
    """The reliability of one grade's fixed form over the organisation's closed attempts:
    ``value`` None when there are not enough complete attempts (or the totals never vary)."""

    grade: GradeCode
    parts: int
    attempts: int
    method: str  # kr20 | alpha
    value: float | None


def ability_thirds(rest: Mapping[int, float]) -> dict[int, int]:
    """Each respondent's third (0 low, 1 middle, 2 high) by the score on the rest of the
    attempt; ranked with ties broken by attempt id, the thirds as even as the count allows."""
    ranked = sorted(rest, key=lambda attempt: (rest[attempt], attempt))
    count = len(ranked)
    return {attempt: min(2, index * 3 // count) for index, attempt in enumerate(ranked)}


def chosen_options(qtype: str, response: Any, count: int) -> set[int] | None:
    """The bank's option indices a stored response chose (None: not a valid choice)."""
    if qtype == "single":
        picks = [response]
    elif isinstance(response, list):
        picks = response
    else:
        return None
    if any(type(pick) is not int or not 0 <= pick < count for pick in picks):
        return None
    return set(picks)


def key_options(question: Question) -> set[int]:
    """The bank indices of a choice question's correct options."""
    answer = question.answer
    return set(answer) if isinstance(answer, list) else {answer}


def analyse_distractors(
    question: Question, responses: Mapping[int, Any], rest: Mapping[int, float]
) -> Distractors:
    """The share choosing each option of ``question`` among its respondents
    (``responses[attempt]``, bank indices), overall and by the ability third that ``rest``
    (each respondent's score on the rest of the attempt) puts them in."""
    options = list(question.body.get("options", []))
    count = len(options)
    choices = {
        attempt: picks
        for attempt, response in responses.items()
        if (picks := chosen_options(question.type, response, count)) is not None
    }
    thirds = ability_thirds({attempt: rest.get(attempt, 0.0) for attempt in choices})
    sizes = [0, 0, 0]
    for third in thirds.values():
        sizes[third] += 1
    keys = key_options(question)
    shares: list[OptionShare] = []
    for index, text in enumerate(options):
        by = [0, 0, 0]
        for attempt, picks in choices.items():
            if index in picks:
                by[thirds[attempt]] += 1
        chosen = sum(by)
        shares.append(
            OptionShare(
                index,
                str(text),
                index in keys,
                chosen,
                chosen / len(choices) if choices else None,
                (
                    by[0] / sizes[0] if sizes[0] else None,
                    by[1] / sizes[1] if sizes[1] else None,
                    by[2] / sizes[2] if sizes[2] else None,
                ),
            )
        )
    return Distractors(
        len(choices),
        (sizes[0], sizes[1], sizes[2]),
        tuple(shares),
        distractor_flags(shares, len(choices)),
    )


def distractor_flags(shares: Sequence[OptionShare], respondents: int) -> tuple[str, ...]:
    """A distractor nobody chose, and one the high third chose more often than the key
    (the least chosen correct option); judged once there are enough respondents."""
    if respondents < item_stats.MIN_RESPONSES:
        return ()
    flags = []
    distractors = [s for s in shares if not s.is_key]
    if any(s.chosen == 0 for s in distractors):
        flags.append(FLAG_UNCHOSEN)
    key_high = [s.by_third[2] for s in shares if s.is_key and s.by_third[2] is not None]
    if key_high and any(
        s.by_third[2] is not None and s.by_third[2] > min(key_high) for s in distractors
    ):
        flags.append(FLAG_DISTRACTOR_HIGH)
    return tuple(flags)


def information_curve(a: float, b: float, thetas: Iterable[float] = THETAS) -> list[float]:
    """The 2PL item information ``a^2 P (1 - P)`` at each ability in ``thetas``."""
    points = np.asarray(list(thetas), dtype=float)
    return [float(value) for value in irt.item_information(a, b, points)]


def parameters_of(question: Question, calibration: ItemCalibration | None) -> tuple[float, float]:
    """The ``a`` and ``b`` the question's curve uses: the fitted ones, else its grade's prior."""
    if calibration is not None:
        return calibration.a, calibration.b
    prior = irt.prior_params(question.grade.value)
    return prior.a, prior.b


def _org_attempts(organization_id: int) -> sa.Select[tuple[int]]:
    """The ids of every attempt (open or closed) of the organisation's candidates."""
    return (
        sa.select(Attempt.id)
        .join(Invitation, Invitation.id == Attempt.invitation_id)
        .join(Position, Position.id == Invitation.position_id)
        .where(Position.organization_id == organization_id)
    )


def exposures(session: DbSession, organization_id: int) -> dict[tuple[str, GradeCode], Exposure]:
    """The exposure of every question key the organisation's attempts drew, by key and the
    question's grade (two queries): the attempts that drew it among those that could have,
    the fixed attempts of its grade and every adaptive attempt (which draw from all grades)."""
    own = _org_attempts(organization_id)
    adaptive = Attempt.adaptive.is_not(None)
    counts = session.execute(
        sa.select(Attempt.grade, adaptive, sa.func.count(Attempt.id))
        .where(Attempt.id.in_(own))
        .group_by(Attempt.grade, adaptive)
    ).all()
    fixed: dict[GradeCode, int] = defaultdict(int)
    adaptive_total = 0
    for grade, is_adaptive, count in counts:
        if is_adaptive:
            adaptive_total += count
        else:
            fixed[grade] += count
    rows = session.execute(
        sa.select(Question.key, Question.grade, sa.func.count(sa.distinct(AttemptItem.attempt_id)))
        .join(Question, Question.id == AttemptItem.question_id)
        .where(AttemptItem.attempt_id.in_(own))
        .group_by(Question.key, Question.grade)
    ).all()
    drawn: dict[tuple[str, GradeCode], int] = defaultdict(int)
    for key, grade, count in rows:
        drawn[key, grade] += count
    return {
        (key, grade): Exposure(count, fixed.get(grade, 0) + adaptive_total)
        for (key, grade), count in drawn.items()
    }


def retirements(
    session: DbSession, organization_id: int, keys: Iterable[str] | None = None
) -> dict[str, Retirement]:
    """The organisation's retired questions by key (only ``keys`` when given)."""
    query = (
        sa.select(RetiredQuestion, User.email)
        .outerjoin(User, User.id == RetiredQuestion.retired_by_id)
        .where(RetiredQuestion.organization_id == organization_id)
        .order_by(RetiredQuestion.retired_at.desc(), RetiredQuestion.id.desc())
    )
    if keys is not None:
        query = query.where(RetiredQuestion.question_key.in_(list(keys)))
    return {
        row.question_key: Retirement(row.question_key, row.reason, email, row.retired_at)
        for row, email in session.execute(query)
    }


def calibrations(
    session: DbSession, organization_id: int, keys: Iterable[str] | None = None
) -> dict[str, ItemCalibration]:
    """The organisation's fitted item parameters by question key."""
    query = sa.select(ItemCalibration).where(ItemCalibration.organization_id == organization_id)
    if keys is not None:
        query = query.where(ItemCalibration.question_key.in_(list(keys)))
    return {row.question_key: row for row in session.scalars(query)}


def _review(
    question: Question,
    stat: ItemStat,
    data: ClosedData,
    exposure: Exposure,
    calibration: ItemCalibration | None,
    retirement: Retirement | None,
) -> ItemReview:
    """One question version's review from the organisation's figures."""
    distractors = None
    if question.type in CHOICE_TYPES:
        responses = {
            attempt: answers[question.id]
            for attempt, answers in data.responses.items()
            if question.id in answers
        }
        rest = {
            attempt: data.totals.get(attempt, 0.0) - data.scores[attempt].get(question.id, 0.0)
            for attempt in responses
        }
        distractors = analyse_distractors(question, responses, rest)
    flags = list(stat.flags)
    if distractors is not None:
        flags.extend(distractors.flags)
    if exposure.over_cap:
        flags.append(FLAG_EXPOSED)
    if calibration is not None and calibration.calibrated and calibration.a < MIN_FITTED_A:
        flags.append(FLAG_WEAK_FIT)
    return ItemReview(question, stat, distractors, exposure, calibration, retirement, tuple(flags))


def bank_review(
    session: DbSession,
    organization_id: int,
    keys: Iterable[str] | None = None,
    data: ClosedData | None = None,
) -> list[ItemReview]:
    """The review of every question version drawn in a closed attempt of the organisation
    (only ``keys`` when given): questions to review first, then by key and version.
    ``data``: the organisation's closed data when already read."""
    data = data or item_stats.closed_data(session, organization_id)
    wanted = None if keys is None else set(keys)
    stats = [
        (question, stat)
        for question, stat in item_stats.bank_statistics(session, organization_id, data)
        if wanted is None or question.key in wanted
    ]
    shown = {question.key for question, _ in stats}
    exposure = exposures(session, organization_id)
    fitted = calibrations(session, organization_id, shown)
    retired = retirements(session, organization_id, shown)
    reviews = [
        _review(
            question,
            stat,
            data,
            exposure.get((question.key, question.grade), Exposure(0, 0)),
            fitted.get(question.key),
            retired.get(question.key),
        )
        for question, stat in stats
    ]
    reviews.sort(key=lambda r: (not r.review_flags, r.question.key, r.question.version))
    return reviews


def review_queue(reviews: Iterable[ItemReview]) -> list[ItemReview]:
    """The flagged questions still drawn, one row per key (its newest version reviewed)."""
    newest: dict[str, ItemReview] = {}
    for review in reviews:
        if not review.review_flags or review.retirement is not None:
            continue
        known = newest.get(review.question.key)
        if known is None or review.question.version > known.question.version:
            newest[review.question.key] = review
    return sorted(newest.values(), key=lambda r: r.question.key)


def question_versions(session: DbSession, key: str) -> list[Question]:
    """Every version of the bank's question ``key``, newest first (empty: no such key)."""
    if not key or len(key) > 40:
        return []
    return list(
        session.scalars(
            sa.select(Question).where(Question.key == key).order_by(Question.version.desc())
        )
    )


def retire(
    session: DbSession,
    organization_id: int,
    key: str,
    reason: str,
    actor: User,
    ip: str | None = None,
) -> RetiredQuestion:
    """Take question ``key`` out of the organisation's future draws, with a reason (1 to 500
    characters of multi-line text); audited. Past attempts keep it."""
    why = checked_multi_line(reason, "reason", MAX_REASON)
    if not question_versions(session, key):
        raise NotFound("no such question in the bank")
    existing = session.scalar(
        sa.select(RetiredQuestion.id).where(
            RetiredQuestion.organization_id == organization_id,
            RetiredQuestion.question_key == key,
        )
    )
    if existing is not None:
        raise Conflict("this question is already retired")
    row = RetiredQuestion(
        organization_id=organization_id, question_key=key, reason=why, retired_by_id=actor.id
    )
    session.add(row)
    audit.record(
        session,
        "question.retired",
        actor_id=actor.id,
        object_type="question",
        object_id=key,
        ip=ip,
        organization_id=organization_id,
        reason=why,
    )
    session.flush()
    return row


def return_to_draws(
    session: DbSession, organization_id: int, key: str, actor: User, ip: str | None = None
) -> None:
    """Let the organisation's draws pick question ``key`` again; audited with the reason it
    had been retired for."""
    row = session.scalar(
        sa.select(RetiredQuestion).where(
            RetiredQuestion.organization_id == organization_id,
            RetiredQuestion.question_key == key,
        )
    )
    if row is None:
        raise NotFound("this question is not retired")
    audit.record(
        session,
        "question.returned",
        actor_id=actor.id,
        object_type="question",
        object_id=key,
        ip=ip,
        organization_id=organization_id,
        retired_reason=row.reason,
    )
    session.delete(row)
    session.flush()


def form_matrix(
    slots: Mapping[int, Mapping[tuple[str, int], float | None]],
) -> tuple[list[tuple[str, int]], list[list[float]]]:
    """The persons x parts matrix of a fixed form: each attempt's parts (competency and the
    j-th question of it the attempt drew) as columns, NaN where a part is missing or was not
    answered."""
    parts = sorted({part for row in slots.values() for part in row})
    matrix = [
        [math.nan if (value := row.get(part)) is None else value for part in parts]
        for _, row in sorted(slots.items())
    ]
    return parts, matrix


def form_reliability(
    matrix: Sequence[Sequence[float]], parts: int
) -> tuple[str, int, float | None]:
    """The method, the complete attempts and the reliability of a persons x parts matrix:
    KR-20 when every score is 0 or 1, else Cronbach's alpha; None with too few complete
    attempts or when the totals do not vary."""
    complete = [row for row in matrix if not any(math.isnan(v) for v in row)]
    binary = all(v in (0.0, 1.0) for row in complete for v in row)
    method = "kr20" if binary else "alpha"
    if len(complete) < MIN_RELIABILITY_ATTEMPTS or parts < 2:
        return method, len(complete), None
    value = reliability.kr20(complete) if binary else reliability.cronbach_alpha(complete)
    return method, len(complete), None if math.isnan(value) else value


def grade_reliability(
    session: DbSession, organization_id: int, data: ClosedData | None = None
) -> list[FormReliability]:
    """The reliability of the organisation's form of each grade (its effective blueprint)
    over its closed fixed attempts of that grade, on the questions they were given: an
    unanswered question leaves its attempt out (the coefficients are for a form answered in
    full; an adaptive attempt has no fixed form, its precision is its standard errors)."""
    closed = item_stats.closed_attempts(organization_id)
    order = {
        code: position
        for position, code in enumerate(
            session.scalars(sa.select(Competency.code).order_by(Competency.position))
        )
    }
    data = data or item_stats.closed_data(session, organization_id)
    rows = session.execute(
        sa.select(
            Attempt.grade, AttemptItem.attempt_id, AttemptItem.question_id, Question.competency_code
        )
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(Question, Question.id == AttemptItem.question_id)
        .where(AttemptItem.attempt_id.in_(closed), Attempt.adaptive.is_(None))
        .order_by(AttemptItem.attempt_id, AttemptItem.position)
    ).all()
    slots: dict[GradeCode, dict[int, dict[tuple[str, int], float | None]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    seen: dict[tuple[int, str], int] = defaultdict(int)
    for grade, attempt_id, question_id, code in rows:
        index = seen[attempt_id, code]
        seen[attempt_id, code] += 1
        answered = question_id in data.responses.get(attempt_id, {})
        score = data.scores.get(attempt_id, {}).get(question_id) if answered else None
        slots[grade][attempt_id][(f"{order.get(code, 999):03d}{code}", index)] = score
    result = []
    for blueprint in blueprints.effective_all(session, organization_id):
        parts, matrix = form_matrix(slots.get(blueprint.grade, {}))
        method, complete, value = form_reliability(matrix, len(parts))
        result.append(FormReliability(blueprint.grade, len(parts), complete, method, value))
    return result
