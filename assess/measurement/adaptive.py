"""Adaptive item selection: which competency next, which item, when to stop.

Abilities are estimated per competency (one unidimensional 2PL scale each, items counted
under their primary competency). The pieces, usable alone:

- :func:`next_item` picks an item of one competency by maximum Fisher information at the
  current EAP, with randomesque exposure control (uniformly at random among the ``top_k``
  most informative eligible items) and, optionally, Sympson-Hetter filtering (an item drawn
  is administered with probability ``k_j``; otherwise it is set aside for this sitting and
  the draw is repeated). It returns a :class:`Pick` that says why: the information, the
  rank among the eligible items, the pool size and the items Sympson-Hetter set aside.
- :func:`next_competency` balances content: among competencies not stopped, the one furthest
  behind its share of the plan (items given / planned items), ties to the largest standard
  error, then plan order.
- :func:`stop_reason` is the stopping rule of one competency: its standard error reached
  ``se_target``, or it had ``max_items`` items, or it has no item left.
- :class:`AdaptiveSession` runs the three over one sitting: ``pick()`` then ``record()``
  the score, until ``pick()`` returns None; ``abilities()`` gives (theta, se) per competency.
  It is seeded (``numpy.random.Generator``) so a sitting can be replayed from its seed and
  its responses; each :class:`Pick` is the record of one draw.

:func:`most_uncertain_competency` is the alternative for grade decisions
(``AdaptiveSession(balance="decision")``): once every competency has ``min_items``, the next
question goes to the required competency closest to flipping the grade recommendation (its
probability of clearing the current grade's bar, or the next grade's, nearest 0.5), within
each competency's cap; non-required competencies then only get their ``min_items``, unless
every required one has stopped.

:func:`sympson_hetter_update` adjusts Sympson-Hetter parameters after a simulation round
(``k_j <- min(1, k_j * r_max / selection rate_j)``) for callers who calibrate them.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from assess.measurement.irt import (
    GRADE_BARS,
    GRID,
    FloatArray,
    ItemParams,
    _log_likelihood,
    _mass_above,
    _normalise,
    _prior_on,
    dichotomise,
    item_information,
)


@dataclass(frozen=True)
class CandidateItem:
    """An item that may be asked: its id, primary competency and 2PL parameters."""

    id: str
    competency: str
    a: float
    b: float


@dataclass(frozen=True)
class Pick:
    """One selection and why it was made (store it with the attempt to audit the draw).

    ``rank`` is 1-based among the eligible items by information at ``theta``; ``pool`` is how
    many were eligible; ``set_aside`` the ids Sympson-Hetter skipped before this one;
    ``competency_reason`` why this competency came next (empty when the caller chose it).
    """

    item_id: str
    competency: str
    theta: float
    information: float
    rank: int
    pool: int
    top_k: int
    set_aside: tuple[str, ...] = ()
    competency_reason: str = ""


@dataclass(frozen=True)
class StopRule:
    """When a competency stops: ``se <= se_target`` or ``max_items`` given (at least
    ``min_items`` first)."""

    se_target: float = 0.3
    max_items: int = 6
    min_items: int = 1


def next_item(
    candidates: Sequence[CandidateItem],
    theta: float,
    administered: Collection[str],
    rng: np.random.Generator,
    *,
    top_k: int = 5,
    sympson_hetter: Mapping[str, float] | None = None,
    excluded: Collection[str] = (),
) -> Pick | None:
    """The next item among ``candidates`` (one competency) not yet ``administered`` or
    ``excluded``: random among the ``top_k`` most informative at ``theta``, filtered by
    Sympson-Hetter probabilities when given. None when nothing is eligible."""
    eligible = [c for c in candidates if c.id not in administered and c.id not in excluded]
    if not eligible:
        return None
    a = np.array([c.a for c in eligible])
    b = np.array([c.b for c in eligible])
    info = item_information(a, b, theta)
    order = list(np.argsort(-info, kind="stable"))
    set_aside: list[str] = []
    while order:
        window = order[: max(1, top_k)]
        position = int(rng.integers(len(window)))
        index = window[position]
        item = eligible[index]
        keep = 1.0 if sympson_hetter is None else sympson_hetter.get(item.id, 1.0)
        if len(order) == 1 or keep >= 1.0 or rng.random() < keep:
            rank = int(np.sum(info > info[index])) + 1
            return Pick(
                item.id,
                item.competency,
                float(theta),
                float(info[index]),
                rank,
                len(eligible),
                top_k,
                tuple(set_aside),
            )
        set_aside.append(item.id)
        order.remove(index)
    return None  # pragma: no cover - the last item is always kept


def stop_reason(se: float, count: int, rule: StopRule, remaining: int) -> str | None:
    """Why a competency stops (``se``, ``max_items``, ``exhausted``), or None to go on."""
    if remaining <= 0:
        return "exhausted"
    if count >= rule.max_items:
        return "max_items"
    if count >= rule.min_items and se <= rule.se_target:
        return "se"
    return None


def next_competency(
    plan: Mapping[str, int],
    given: Mapping[str, int],
    se: Mapping[str, float],
    stopped: Collection[str] = (),
) -> tuple[str, str] | None:
    """The competency to ask next and why: among those in ``plan`` (competency -> planned
    items, in order) not ``stopped``, the lowest items given / planned, then the largest se.
    None when all are stopped."""
    open_ = [c for c in plan if c not in stopped and plan[c] > 0]
    if not open_:
        return None
    order = {c: i for i, c in enumerate(plan)}
    best = min(
        open_,
        key=lambda c: (given.get(c, 0) / plan[c], -se.get(c, 1.0), order[c]),
    )
    share = given.get(best, 0) / plan[best]
    return (
        best,
        f"{given.get(best, 0)}/{plan[best]} planned ({share:.2f}), se {se.get(best, 1.0):.2f}",
    )


def most_uncertain_competency(
    above: Mapping[str, Sequence[float]], bars: Sequence[float], stopped: Collection[str] = ()
) -> tuple[str, str] | None:
    """The required competency whose answer would most likely change the grade decision.

    ``above`` maps each required competency to P(theta > bar) for the ascending ``bars``.
    The current grade is the number of bars every competency clears with probability >= 0.5;
    the decisive bars are that grade's own bar (could it be lost?) and the next one (could
    it be won?). The competency with the largest ``min(P, 1 - P)`` at a decisive bar is
    chosen, among those not ``stopped``. None when none is open.
    """
    open_ = [c for c in above if c not in stopped]
    if not open_:
        return None
    grade = sum(1 for k in range(len(bars)) if all(p[k] >= 0.5 for p in above.values()))
    decisive = [k for k in (grade - 1, grade) if 0 <= k < len(bars)]

    def doubt(code: str) -> float:
        """How close this competency is to flipping a decisive bar."""
        return max(min(above[code][k], 1.0 - above[code][k]) for k in decisive)

    best = max(open_, key=doubt)
    return best, f"grade decision: P(above a decisive bar) {doubt(best):.2f} from 0 or 1"


def sympson_hetter_update(
    k: Mapping[str, float], selection_rate: Mapping[str, float], r_max: float
) -> dict[str, float]:
    """One Sympson-Hetter adjustment: items selected more often than ``r_max`` get
    ``k = r_max / selection rate`` (capped at 1), the others 1."""
    out = {}
    for item in k:
        rate = selection_rate.get(item, 0.0)
        out[item] = 1.0 if rate <= r_max else min(1.0, r_max / rate)
    return out


@dataclass
class _Scale:
    """The running state of one competency in a sitting (the estimate cached)."""

    items: list[CandidateItem]
    given: list[str] = field(default_factory=list)
    log_post: FloatArray = field(default_factory=lambda: _prior_on(GRID).copy())
    stop: str | None = None
    dirty: bool = True
    _estimate: tuple[float, float] = (0.0, 1.0)

    def estimate(self) -> tuple[float, float]:
        """EAP and posterior SD."""
        if self.dirty:
            w = _normalise(self.log_post[None, :])[0]
            mean = float(w @ GRID)
            self._estimate = (mean, math.sqrt(max(float(w @ GRID**2) - mean**2, 0.0)))
            self.dirty = False
        return self._estimate


class AdaptiveSession:
    """One adaptive sitting over several competencies.

    ``items``: the pool (each with its primary competency and parameters); ``plan``:
    competency -> items planned (the content balance, and the cap unless ``rule.max_items``
    is lower); ``rule``: the stopping rule; ``balance``: ``plan`` (shares of the plan) or
    ``decision`` (:func:`most_uncertain_competency` over the ``required`` competencies and
    the grade ``bars``); ``rng``: the seeded generator; ``top_k`` and
    ``sympson_hetter``: exposure control. Call ``pick()``, show the item, ``record()`` its
    score (0..1, dichotomised with ``rule_scores``), repeat until ``pick()`` returns None.
    """

    def __init__(
        self,
        items: Sequence[CandidateItem],
        plan: Mapping[str, int],
        rng: np.random.Generator,
        *,
        rule: StopRule | None = None,
        top_k: int = 5,
        sympson_hetter: Mapping[str, float] | None = None,
        rule_scores: str = "full",
        balance: str = "plan",
        bars: Sequence[float] = tuple(GRADE_BARS.values()),
        required: Collection[str] | None = None,
    ) -> None:
        """Group the pool by competency and start every competency at the prior."""
        if balance not in ("plan", "decision"):
            raise ValueError(f"unknown balance {balance!r}")
        self.balance = balance
        self.bars = sorted(bars)
        self.required = list(plan) if required is None else list(required)
        self.plan = dict(plan)
        self.rule = rule or StopRule(max_items=max(plan.values(), default=0))
        self.rng = rng
        self.top_k = top_k
        self.sympson_hetter = sympson_hetter
        self.rule_scores = rule_scores
        self.scales = {c: _Scale([i for i in items if i.competency == c]) for c in self.plan}
        self._by_id = {i.id: i for i in items}
        self._set_aside: set[str] = set()
        self.picks: list[Pick] = []
        self.pending: Pick | None = None
        self._above: dict[str, list[float]] = {}
        for code in self.scales:
            self._update_stop(code)

    def _choose(self) -> tuple[str, str] | None:
        """The competency to ask next and why, by the plan or by the grade decision."""
        stopped = [c for c, s in self.scales.items() if s.stop is not None]
        given = {c: len(s.given) for c, s in self.scales.items()}
        se = {c: s.estimate()[1] for c, s in self.scales.items()}
        if self.balance == "decision":
            behind = [c for c in self.plan if given[c] < self.rule.min_items]
            if not [c for c in behind if c not in stopped]:
                above = {c: self.probabilities_above(c) for c in self.required}
                choice = most_uncertain_competency(above, self.bars, stopped)
                if choice is not None:
                    return choice
        return next_competency(self.plan, given, se, stopped)

    def probabilities_above(self, competency: str) -> list[float]:
        """P(theta > bar) of one competency for each of ``bars`` (cached until it changes)."""
        if competency not in self._above:
            density = self.posterior_density(competency)
            self._above[competency] = [
                _mass_above(GRID, density[None, :], bar)[0] for bar in self.bars
            ]
        return self._above[competency]

    def _cap(self, competency: str) -> int:
        """Items this competency may get at most."""
        return min(self.plan[competency], self.rule.max_items)

    def _update_stop(self, code: str) -> None:
        """Apply the stopping rule to one competency if it is still open."""
        scale = self.scales[code]
        if scale.stop is None:
            remaining = sum(
                1 for i in scale.items if i.id not in scale.given and i.id not in self._set_aside
            )
            capped = StopRule(self.rule.se_target, self._cap(code), self.rule.min_items)
            scale.stop = stop_reason(scale.estimate()[1], len(scale.given), capped, remaining)

    def pick(self) -> Pick | None:
        """The next item (competency by content balance, item by information), or None
        when every competency has stopped."""
        if self.pending is not None:
            return self.pending
        while True:
            choice = self._choose()
            if choice is None:
                return None
            code, why = choice
            scale = self.scales[code]
            theta = scale.estimate()[0]
            found = next_item(
                scale.items,
                theta,
                scale.given,
                self.rng,
                top_k=self.top_k,
                sympson_hetter=self.sympson_hetter,
                excluded=self._set_aside,
            )
            if found is None:
                scale.stop = "exhausted"
                continue
            self._set_aside.update(found.set_aside)
            self.pending = Pick(
                found.item_id,
                found.competency,
                found.theta,
                found.information,
                found.rank,
                found.pool,
                found.top_k,
                found.set_aside,
                why,
            )
            return self.pending

    def record(self, item_id: str, score: float) -> None:
        """Record the score (0..1) of the pending item and update its competency."""
        if self.pending is None or self.pending.item_id != item_id:
            raise ValueError(f"{item_id!r} is not the item picked last")
        item = self._by_id[item_id]
        scale = self.scales[item.competency]
        x = dichotomise([score], self.rule_scores).reshape(1, 1)
        scale.log_post = (
            scale.log_post + _log_likelihood(np.array([item.a]), np.array([item.b]), x, GRID)[0]
        )
        scale.given.append(item_id)
        scale.dirty = True
        self._above.pop(item.competency, None)
        self.picks.append(self.pending)
        self.pending = None
        self._update_stop(item.competency)

    def abilities(self) -> dict[str, tuple[float, float]]:
        """EAP ability and standard error per competency of the plan."""
        return {c: s.estimate() for c, s in self.scales.items()}

    def posterior_density(self, competency: str) -> FloatArray:
        """The current posterior of one competency on :data:`GRID`."""
        density: FloatArray = _normalise(self.scales[competency].log_post[None, :])[0]
        return density

    def stop_reasons(self) -> dict[str, str | None]:
        """Why each competency stopped (None while open)."""
        return {c: s.stop for c, s in self.scales.items()}

    def items_of(self, competency: str) -> list[ItemParams]:
        """Parameters of the items given in one competency, in order."""
        return [
            ItemParams(self._by_id[i].a, self._by_id[i].b) for i in self.scales[competency].given
        ]

    def replay(self, item_id: str, score: float, set_aside: Collection[str] = ()) -> None:
        """Record an item given earlier in this sitting, without drawing it: a sitting
        rebuilt from its record (``set_aside``: what exposure control skipped for it)."""
        item = self._by_id[item_id]
        self._set_aside.update(s for s in set_aside if s in self._by_id)
        theta, _ = self.scales[item.competency].estimate()
        self.pending = Pick(item_id, item.competency, theta, 0.0, 0, 0, self.top_k)
        self.record(item_id, score)

    def parameters(self, item_id: str) -> tuple[float, float]:
        """The (a, b) this sitting uses for one item."""
        item = self._by_id[item_id]
        return item.a, item.b
