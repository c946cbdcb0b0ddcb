"""Adaptive attempts: each next quiz question chosen for the candidate in front of it.

A blueprint marked adaptive keeps its per-competency counts as each competency's maximum.
When the attempt starts, its settings are frozen on it (``Attempt.adaptive``): the plan, the
stopping rule, the exposure control, the Sympson-Hetter parameters of this organisation and
grade, and how many question positions are reserved (the coding tasks come after them). Then
only the first question is drawn; the coding tasks are drawn as for a fixed blueprint.

When the candidate goes on from a question (:func:`advance`), its answer becomes final (the
claim is one conditional UPDATE, so a double click or two tabs draw once) and the next one
is drawn by :class:`assess.measurement.AdaptiveSession` with the rule the simulation in
``bench/adaptive.py`` measured: one question per competency first (the competency furthest
behind its share of the plan), then the required competency and, within it, the question
whose answer is expected to tell the most about the grade decision (mutual information
between the answer and the grade under the current posteriors); a competency that is not
required gets its one question by Fisher information at its estimate. The question is
drawn at random among the ``top_k`` best, then filtered by Sympson-Hetter; a competency
stops at its maximum or once its standard error is at most the blueprint's target, and the
quiz ends when every required competency has stopped. Estimates are EAP from the final
answers, with the organisation's calibrated parameters, else the grade priors; a question
already drawn keeps the parameters it was drawn with (a calibration during the attempt
changes only the questions still to come). The pool is every current question of the
competency, of every grade, that the organisation has not retired. Attempts started under
the earlier plan-balanced rule (no ``balance`` in their settings) keep it.

Every draw is reproducible: its random numbers come from the attempt's seed and the draw's
number alone, and what it saw is stored with the item (``AttemptItem.draw``: the estimate
and its standard error, the item's parameters and information, its rank among the eligible
items, why this competency, what exposure control set aside), so a reviewer sees why each
question came. Sympson-Hetter parameters come from the selections recorded in the
organisation's last :data:`HISTORY` adaptive attempts of the grade (none until
:data:`MIN_HISTORY` exist): an item selected for more than :data:`R_MAX` of them is shown
with probability ``R_MAX / rate``.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime
from typing import Any

import numpy as np
import sqlalchemy as sa

from assess.bank.spec import CHOICE_TYPES
from assess.errors import Conflict
from assess.extensions import DbSession
from assess.measurement import AdaptiveSession, CandidateItem, StopRule, sympson_hetter_update
from assess.models import (
    Answer,
    AssessmentBlueprint,
    Attempt,
    AttemptItem,
    Competency,
    GradeCode,
    Invitation,
    Position,
    Question,
    RetiredQuestion,
    WeightClass,
    utcnow,
)
from assess.services import measurement

TOP_K = 4  # randomesque: the next item is one of the four most informative
R_MAX = 0.2  # Sympson-Hetter: no item selected for more than a fifth of the candidates
BALANCE = "decision"  # after one question per competency, the grade decision leads
SELECTION = "grade"  # items ranked by what their answer tells about the grade
HISTORY = 500  # adaptive attempts whose selections set the Sympson-Hetter parameters
MIN_HISTORY = 20  # fewer attempts than this: randomesque only


class AnswerFinal(Conflict):
    """A change to an adaptive question whose answer is final (the next one was drawn)."""

    code = "answer_final"


def settings(
    session: DbSession, blueprint: AssessmentBlueprint, organization_id: int
) -> dict[str, Any]:
    """What an adaptive attempt of ``blueprint`` runs with, frozen when it starts."""
    codes = session.scalars(sa.select(Competency.code).order_by(Competency.position)).all()
    plan = {
        code: int(blueprint.questions_per_competency.get(code, 0))
        for code in codes
        if int(blueprint.questions_per_competency.get(code, 0)) > 0
    }
    sizes = Counter(q.competency_code for q in _pool(session, list(plan), organization_id))
    plan = {code: min(count, sizes[code]) for code, count in plan.items() if sizes[code]}
    return {
        "plan": plan,
        "se_target": float(blueprint.se_target),
        "top_k": TOP_K,
        "r_max": R_MAX,
        "balance": BALANCE,
        "selection": SELECTION,
        "sympson_hetter": sympson_hetter(session, organization_id, blueprint.grade),
        "slots": sum(plan.values()),
    }


def _pool(session: DbSession, codes: list[str], organization_id: int) -> list[Question]:
    """Current questions of ``codes`` (every grade) that the organisation has not retired."""
    retired = sa.select(RetiredQuestion.question_key).where(
        RetiredQuestion.organization_id == organization_id
    )
    return list(
        session.scalars(
            sa.select(Question)
            .where(
                Question.is_current,
                Question.competency_code.in_(codes),
                Question.key.not_in(retired),
            )
            .order_by(Question.key)
        )
    )


def sympson_hetter(session: DbSession, organization_id: int, grade: GradeCode) -> dict[str, float]:
    """Sympson-Hetter parameters below 1 (question key -> probability of being shown once
    selected) from the selections of the organisation's last adaptive attempts of ``grade``."""
    rows = session.execute(
        sa.select(Attempt.id, AttemptItem.draw)
        .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .join(Invitation, Invitation.id == Attempt.invitation_id)
        .join(Position, Position.id == Invitation.position_id)
        .where(
            Position.organization_id == organization_id,
            Attempt.grade == grade,
            Attempt.id.in_(
                sa.select(Attempt.id)
                .join(Invitation, Invitation.id == Attempt.invitation_id)
                .join(Position, Position.id == Invitation.position_id)
                .where(
                    Position.organization_id == organization_id,
                    Attempt.grade == grade,
                    Attempt.adaptive.is_not(None),
                )
                .order_by(Attempt.id.desc())
                .limit(HISTORY)
            ),
            AttemptItem.draw.is_not(None),
        )
    ).tuples()
    selected: dict[int, set[str]] = {}
    for attempt_id, draw in rows:
        if isinstance(draw, dict) and isinstance(draw.get("item"), str):
            keys = selected.setdefault(attempt_id, set())
            keys.add(draw["item"])
            keys.update(str(k) for k in draw.get("set_aside") or [])
    if len(selected) < MIN_HISTORY:
        return {}
    counts = Counter(key for keys in selected.values() for key in keys)
    rates = {key: count / len(selected) for key, count in counts.items()}
    k = sympson_hetter_update(dict.fromkeys(rates, 1.0), rates, R_MAX)
    return {key: round(value, 4) for key, value in sorted(k.items()) if value < 1.0}


def question_items(attempt: Attempt) -> list[AttemptItem]:
    """The attempt's questions in the order they came."""
    return sorted((i for i in attempt.items if i.question_id is not None), key=lambda i: i.position)


def complete(attempt: Attempt) -> bool:
    """Whether an adaptive attempt's quiz is over (every drawn question final)."""
    drawn = question_items(attempt)
    return all(item.final_at is not None for item in drawn)


def _engine(
    session: DbSession, attempt: Attempt
) -> tuple[AdaptiveSession, dict[str, Question], dict[int, float]]:
    """The attempt's adaptive sitting rebuilt from its settings and its final answers, the
    questions by key, and the score of each final question (by id) it was rebuilt from."""
    config = attempt.adaptive or {}
    plan = {str(code): int(count) for code, count in config.get("plan", {}).items()}
    organization_id = attempt.invitation.position.organization_id
    drawn = question_items(attempt)
    by_id = {q.id: q for q in _pool(session, list(plan), organization_id)}
    missing = [i.question_id for i in drawn if i.question_id not in by_id]
    if missing:  # retired or replaced since it was drawn: it still counts
        by_id.update(
            {q.id: q for q in session.scalars(sa.select(Question).where(Question.id.in_(missing)))}
        )
    questions = {q.key: q for q in by_id.values()}
    found = measurement.parameters(session, organization_id, questions.values())
    params = {key: (p.a, p.b) for key, (p, _) in found.items()}
    params.update(_drawn_with(drawn))
    items = [
        CandidateItem(key, q.competency_code, *params[key])
        for key, q in sorted(questions.items())
        if q.competency_code in plan
    ]
    required = session.scalars(
        sa.select(Competency.code).where(Competency.weight_class == WeightClass.REQUIRED)
    ).all()
    engine = AdaptiveSession(
        items,
        plan,
        np.random.default_rng([attempt.seed, 0]),
        rule=StopRule(
            se_target=float(config.get("se_target", 0.4)),
            max_items=max(plan.values(), default=0),
            min_items=1,
        ),
        top_k=int(config.get("top_k", TOP_K)),
        sympson_hetter={str(k): float(v) for k, v in config.get("sympson_hetter", {}).items()},
        required=[c for c in required if c in plan],
        balance=str(config.get("balance", "plan")),
        selection=str(config.get("selection", "information")),
    )
    answers = sa.select(Answer.question_id, Answer.score).where(Answer.attempt_id == attempt.id)
    scores = dict(session.execute(answers).tuples().all())
    used: dict[int, float] = {}
    for item in drawn:
        if item.final_at is None:
            continue
        question = by_id[item.question_id]  # type: ignore[index]
        aside = (item.draw or {}).get("set_aside") or []
        used[question.id] = float(scores.get(question.id) or 0.0)
        engine.replay(question.key, used[question.id], [str(k) for k in aside])
    return engine, questions, used


def _drawn_with(drawn: list[AttemptItem]) -> dict[str, tuple[float, float]]:
    """The (a, b) each drawn question was chosen with, from its draw record: a sitting is
    replayed with them, so a calibration during the attempt cannot change earlier steps."""
    found: dict[str, tuple[float, float]] = {}
    for item in drawn:
        draw = item.draw
        if isinstance(draw, dict) and isinstance(draw.get("item"), str):
            a, b = draw.get("a"), draw.get("b")
            if isinstance(a, int | float) and isinstance(b, int | float) and a > 0:
                found[draw["item"]] = (float(a), float(b))
    return found


def draw_next(session: DbSession, attempt: Attempt) -> AttemptItem | None:
    """Draw the attempt's next question and add it at the next position; None when every
    competency has stopped (the quiz is over)."""
    step = len(question_items(attempt)) + 1
    if step > int((attempt.adaptive or {}).get("slots", 0)):
        return None  # every position kept for questions is used (the tasks come next)
    engine, questions, used = _engine(session, attempt)
    drawn = question_items(attempt)
    previous = drawn[-1] if drawn else None
    engine.rng = np.random.default_rng([attempt.seed, step])
    before = engine.abilities()
    pick = engine.pick()
    if pick is None:
        return None
    question = questions[pick.item_id]
    order = None
    if question.type in CHOICE_TYPES:
        order = list(range(len(question.body["options"])))
        random.Random(f"{attempt.seed}:{step}").shuffle(order)
    a, b = engine.parameters(pick.item_id)
    theta, se = before[pick.competency]
    entry = AttemptItem(
        position=step,
        question_id=question.id,
        option_order=order,
        draw={
            "step": step,
            "item": pick.item_id,
            "competency": pick.competency,
            "theta": round(theta, 3),
            "se": round(se, 3),
            "a": round(a, 3),
            "b": round(b, 3),
            "information": round(pick.information, 4),
            # what ``information`` is: grade information (nats) or Fisher information
            "criterion": "grade"
            if engine.selection == "grade" and pick.competency in engine.required
            else "fisher",
            "rank": pick.rank,
            "eligible": pick.pool,
            "top_k": pick.top_k,
            "set_aside": list(pick.set_aside),
            "why": pick.competency_reason,
            "stopped": {c: r for c, r in engine.stop_reasons().items() if r},
            # the answer it followed, as it counted (it can no longer change)
            "after": None
            if previous is None
            else {"position": previous.position, "score": used.get(previous.question_id or 0)},
        },
    )
    attempt.items.append(entry)
    session.flush()
    return entry


def advance(
    session: DbSession, attempt: Attempt, position: int, now: datetime | None = None
) -> AttemptItem | None:
    """Make the answer at ``position`` final and draw the next question (the one shown
    next), or None when the quiz is over. Going on from a question that is already final
    (a second click, another tab) draws nothing and returns the latest question."""
    now = now or utcnow()
    drawn = question_items(attempt)
    latest = drawn[-1] if drawn else None
    if latest is None or all(i.position != position for i in drawn):
        raise Conflict("no such question in this assessment")
    if position != latest.position or latest.final_at is not None:
        return None if latest.final_at is not None else latest
    claimed = _while_open(session, latest.id, now)
    session.refresh(latest)
    if not claimed:
        session.refresh(attempt, ["items"])
        newest = question_items(attempt)[-1]
        return None if newest.final_at is not None else newest
    return draw_next(session, attempt)


def _while_open(session: DbSession, item_id: int, final_at: datetime | None) -> bool:
    """Set the question's ``final_at`` if it is not final yet (None: only lock its row);
    False when it already was."""
    done: int = session.execute(  # type: ignore[attr-defined]
        sa.update(AttemptItem)
        .where(AttemptItem.id == item_id, AttemptItem.final_at.is_(None))
        .values(final_at=final_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    return bool(done)


def require_changeable(
    session: DbSession, adaptive_attempt: bool, item_id: int, final_at: datetime | None
) -> None:
    """Refuse a change to an adaptive question's answer once it is final (``final_at``, as
    read with the item). For an adaptive attempt the question's row is also locked until
    the caller commits (a no-op UPDATE while it is not final): going on (:func:`advance`)
    waits for a save in flight, and a save that comes after it sees the answer final, so
    the answer the next draw used is the answer that counts."""
    if final_at is not None:
        raise AnswerFinal("this answer is final: the next question was drawn after it")
    if not adaptive_attempt:
        return
    if not _while_open(session, item_id, None):
        raise AnswerFinal("this answer is final: the next question was drawn after it")


def why(draw: dict[str, Any] | None) -> dict[str, Any] | None:
    """A draw record as the review page shows it (None for a drawn-at-start item)."""
    if not isinstance(draw, dict) or "item" not in draw:
        return None
    return {
        "competency": str(draw.get("competency", "")),
        "theta": draw.get("theta"),
        "se": draw.get("se"),
        "information": draw.get("information"),
        "criterion": str(draw.get("criterion", "fisher")),
        "rank": draw.get("rank"),
        "eligible": draw.get("eligible"),
        "top_k": draw.get("top_k"),
        "set_aside": [str(k) for k in draw.get("set_aside") or []],
        "why": str(draw.get("why", "")),
        "a": draw.get("a"),
        "b": draw.get("b"),
    }
