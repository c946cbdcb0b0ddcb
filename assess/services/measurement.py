"""How sure a score is: item response theory over the organisation's own responses.

Calibration (``flask bank calibrate``) fits each competency's quiz items with the 2PL model
(:mod:`assess.measurement.irt`) from the organisation's closed attempts and stores every
item's parameters with their standard errors (``ItemCalibration``); an item with too few
responses keeps the prior of its grade and is marked uncalibrated. Another organisation's
candidates never count.

An attempt's estimate per competency is the EAP ability from its quiz answers (full marks
count as right, as in calibration) with its standard error, a 95% band, and for every grade
the probability that the ability is above that grade's bar. The recommended grade's
confidence is the probability that every required competency clears its bar. Coding tasks
are scored as before and are not part of the ability scale. With fewer than
``MIN_ITEMS`` questions of a competency, that competency says "not enough evidence".
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlalchemy as sa

from assess.extensions import DbSession
from assess.measurement import irt
from assess.models import (
    Answer,
    Attempt,
    AttemptItem,
    AttemptState,
    Competency,
    Invitation,
    ItemCalibration,
    Position,
    Question,
    WeightClass,
    utcnow,
)

MIN_ITEMS = 2  # questions of a competency before its estimate says anything
DEFAULT_MIN_RESPONSES = 50  # responses an item needs before it is calibrated
BAND = 1.96  # the 95% band: estimate +- BAND standard errors
METHOD = "2pl-eap"


@dataclass(frozen=True)
class Report:
    """What a calibration did in one organisation."""

    items: int
    calibrated: int
    competencies: int
    attempts: int


def _responses(session: DbSession, organization_id: int) -> list[tuple[int, str, str, str, float]]:
    """(attempt, question key, competency, grade, score) of every question drawn in the
    organisation's closed attempts (an unanswered question scores 0, as on the scorecard)."""
    rows = session.execute(
        sa.select(
            AttemptItem.attempt_id,
            Question.key,
            Question.competency_code,
            Question.grade,
            sa.func.coalesce(Answer.score, 0.0),
        )
        .join(Question, Question.id == AttemptItem.question_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(Invitation, Invitation.id == Attempt.invitation_id)
        .join(Position, Position.id == Invitation.position_id)
        .outerjoin(
            Answer,
            sa.and_(Answer.attempt_id == AttemptItem.attempt_id, Answer.question_id == Question.id),
        )
        .where(Position.organization_id == organization_id, Attempt.state != AttemptState.STARTED)
        .order_by(AttemptItem.attempt_id, Question.key)
    ).tuples()
    return [(a, key, code, grade.value, float(score)) for a, key, code, grade, score in rows]


def calibrate(
    session: DbSession, organization_id: int, min_responses: int = DEFAULT_MIN_RESPONSES
) -> Report:
    """Fit every competency's items from the organisation's responses and store the
    parameters (replacing the previous fit); the caller commits."""
    data = _responses(session, organization_id)
    by_code: dict[str, list[tuple[int, str, str, float]]] = defaultdict(list)
    for attempt_id, key, code, grade, score in data:
        by_code[code].append((attempt_id, key, grade, score))
    existing = {
        row.question_key: row
        for row in session.scalars(
            sa.select(ItemCalibration).where(ItemCalibration.organization_id == organization_id)
        )
    }
    now = utcnow()
    items = calibrated = 0
    for code, rows in sorted(by_code.items()):
        keys = sorted({key for _, key, _, _ in rows})
        people = sorted({attempt_id for attempt_id, _, _, _ in rows})
        column = {key: j for j, key in enumerate(keys)}
        row_of = {attempt_id: i for i, attempt_id in enumerate(people)}
        grades: dict[str, str] = {}
        matrix = np.full((len(people), len(keys)), np.nan)
        for attempt_id, key, grade, score in rows:
            matrix[row_of[attempt_id], column[key]] = score
            grades[key] = grade
        digest = hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()
        fits = irt.fit_2pl(irt.dichotomise(matrix), [grades[k] for k in keys],
                           min_responses=min_responses)  # fmt: skip
        for key, fit in zip(keys, fits, strict=True):
            row = existing.get(key) or ItemCalibration(
                organization_id=organization_id, question_key=key
            )
            row.competency_code = code
            row.a, row.b = fit.a, fit.b
            row.se_a = _finite(fit.se_a)
            row.se_b = _finite(fit.se_b)
            row.responses, row.calibrated, row.converged = fit.n, fit.calibrated, fit.converged
            row.data_digest, row.fitted_at = digest, now
            session.add(row)
            items += 1
            calibrated += int(fit.calibrated)
    return Report(items, calibrated, len(by_code), len({r[0] for r in data}))


def _finite(value: float) -> float | None:
    """``value``, or None for NaN and infinities (no standard error)."""
    return value if math.isfinite(value) else None


def parameters(
    session: DbSession, organization_id: int, questions: Iterable[Question]
) -> dict[str, tuple[irt.ItemParams, bool]]:
    """Each question's parameters in the organisation and whether they were calibrated
    (else the prior of its grade)."""
    wanted = {q.key: q.grade.value for q in questions}
    stored = {
        row.question_key: row
        for row in session.scalars(
            sa.select(ItemCalibration).where(
                ItemCalibration.organization_id == organization_id,
                ItemCalibration.question_key.in_(list(wanted)),
            )
        )
    }
    found: dict[str, tuple[irt.ItemParams, bool]] = {}
    for key, grade in wanted.items():
        row = stored.get(key)
        if row is not None and row.calibrated:
            found[key] = (irt.ItemParams(row.a, row.b), True)
        else:
            found[key] = (irt.prior_params(grade), False)
    return found


def estimate(session: DbSession, attempt: Attempt, recommended_grade: str | None) -> dict[str, Any]:
    """The attempt's measurement section of the scorecard (JSON-ready): per competency the
    ability, its standard error and 95% band, and the probability of clearing each grade's
    bar; per grade the probability that every required competency clears it."""
    rows = session.execute(
        sa.select(Question, sa.func.coalesce(Answer.score, 0.0))
        .join(AttemptItem, AttemptItem.question_id == Question.id)
        .outerjoin(
            Answer, sa.and_(Answer.attempt_id == attempt.id, Answer.question_id == Question.id)
        )
        .where(AttemptItem.attempt_id == attempt.id)
    ).tuples()
    answered = [(question, float(score)) for question, score in rows]
    organization_id = attempt.invitation.position.organization_id
    params = parameters(session, organization_id, [q for q, _ in answered])
    required = set(
        session.scalars(
            sa.select(Competency.code).where(Competency.weight_class == WeightClass.REQUIRED)
        )
    )
    by_code: dict[str, list[tuple[Question, float]]] = defaultdict(list)
    for question, score in answered:
        by_code[question.competency_code].append((question, score))
    competencies = {code: _competency(items, params) for code, items in sorted(by_code.items())}
    confidence = grade_confidence(competencies, required)
    return {
        "method": METHOD,
        "adaptive": attempt.adaptive is not None,
        "competencies": competencies,
        "grades": confidence,
        "estimated_grade": estimated_grade(competencies, required),
        "recommended_confidence": confidence.get(recommended_grade) if recommended_grade else None,
        "items": len(answered),
        "calibrated_items": sum(1 for q, _ in answered if params[q.key][1]),
    }


def _competency(
    items: Sequence[tuple[Question, float]], params: Mapping[str, tuple[irt.ItemParams, bool]]
) -> dict[str, Any]:
    """One competency's estimate from its questions and scores."""
    post = irt.posterior(
        [params[q.key][0] for q, _ in items], irt.dichotomise([s for _, s in items])
    )
    theta, se = post.mean, post.sd
    return {
        "theta": round(theta, 3),
        "se": round(se, 3),
        "low": round(theta - BAND * se, 3),
        "high": round(theta + BAND * se, 3),
        "items": len(items),
        "calibrated": sum(1 for q, _ in items if params[q.key][1]),
        "enough": len(items) >= MIN_ITEMS,
        "p_clear": {
            grade: round(post.probability_above(bar), 3) for grade, bar in irt.GRADE_BARS.items()
        },
    }


def estimated_grade(
    competencies: Mapping[str, Mapping[str, Any]], required: set[str]
) -> str | None:
    """The grade from the estimates alone, as ``bench/adaptive.py`` scores its accuracy:
    the highest grade whose bar every required competency is more likely above than below
    (P >= 0.5); "none" below Junior; None when a required competency lacks evidence."""
    found = "none"
    for grade in irt.GRADE_BARS:  # from the lowest bar up
        for code in sorted(required):
            entry = competencies.get(code)
            if entry is None or not entry["enough"]:
                return None
            if float(entry["p_clear"][grade]) < 0.5:
                return found
        found = grade
    return found


def grade_confidence(
    competencies: Mapping[str, Mapping[str, Any]], required: set[str]
) -> dict[str, float | None]:
    """Per grade, the probability that every required competency clears its bar (the
    estimates are independent), or None when a required one lacks evidence."""
    confidence: dict[str, float | None] = {}
    for grade in irt.GRADE_BARS:
        product: float | None = 1.0
        for code in sorted(required):
            entry = competencies.get(code)
            if entry is None or not entry["enough"]:
                product = None
                break
            assert product is not None
            product *= float(entry["p_clear"][grade])
        confidence[grade] = round(product, 3) if product is not None else None
    return confidence
