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

Selection for the grade decision (``AdaptiveSession(selection="grade")``, meant with
``balance="decision"``). The grade ``G`` is the number of bars every required competency
clears, so what an answer is worth depends on the other competencies as well as on its own
ability: an item at the junior bar of a competency tells nothing about the grade once another
competency is surely below junior. :func:`grade_information` scores every eligible item of a
required competency by the mutual information between its answer and ``G`` under the current
posteriors (the competencies are independent a posteriori, as they are estimated): with
``S_k(theta)`` the share of the grid cell at ``theta`` above bar ``k`` (:func:`bar_shares`)
and ``q_k`` the product over the *other* required competencies of P(theta > bar ``k``),
``P(G >= g | theta) = S_g(theta) q_g``, and the information is
``sum_{g, x} P(g, x) log(P(g, x) / (P(g) P(x)))`` over grades ``g`` and answers ``x``. It
is the expected reduction of the entropy of the grade (the Kullback-Leibler selection of
classification testing, taken over every bar at once and weighted by the posterior instead of
evaluated at the point estimate). Items of a required competency are ranked by it instead of
by Fisher information (randomesque ``top_k`` and Sympson-Hetter unchanged); with
``balance="decision"`` the competency asked after the ``min_items`` round is the open
required one whose best eligible item has the most grade information (ties to plan order).
Non-required competencies keep Fisher information at their EAP (they do not gate a grade).
All items' response curves on the grid are computed once per session, and the information of
every eligible item is computed in one pass after each answer.

:func:`sympson_hetter_update` adjusts Sympson-Hetter parameters after a simulation round
(``k_j <- min(1, r_max / selection rate_j)`` for items selected more often than ``r_max``, 1
for the others) for callers who calibrate them; the selection rate counts the draws an item
was set aside in as well as the ones it was given in.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

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
    probability,
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
    criterion: Mapping[str, float] | None = None,
) -> Pick | None:
    """The next item among ``candidates`` (one competency) not yet ``administered`` or
    ``excluded``: random among the ``top_k`` most informative at ``theta``, filtered by
    Sympson-Hetter probabilities when given. ``criterion`` (item id -> value, e.g. from
    :func:`grade_information`) replaces the Fisher information at ``theta`` as the ranking
    when given. None when nothing is eligible."""
    eligible = [c for c in candidates if c.id not in administered and c.id not in excluded]
    if not eligible:
        return None
    if criterion is None:
        a = np.array([c.a for c in eligible])
        b = np.array([c.b for c in eligible])
        info = item_information(a, b, theta)
    else:
        info = np.array([criterion.get(c.id, 0.0) for c in eligible])
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


def bar_shares(bars: Sequence[float]) -> FloatArray:
    """For each point of :data:`GRID` and each of ``bars``, the share of the point's cell
    above the bar (the cell split as in :func:`~assess.measurement.irt.probability_above`):
    an array grid x bars."""
    step = GRID[1] - GRID[0]
    out = np.empty((GRID.size, len(bars)))
    for k, bar in enumerate(bars):
        share = np.clip((GRID + step / 2 - bar) / step, 0.0, 1.0)
        out[:, k] = np.where(GRID - step / 2 >= bar, 1.0, share)
    return out


@lru_cache(maxsize=8)
def _padded_shares(bars: tuple[float, ...]) -> FloatArray:
    """:func:`bar_shares` with a column of ones before and zeros after (cached)."""
    grid = GRID.size
    out = np.hstack([np.ones((grid, 1)), bar_shares(bars), np.zeros((grid, 1))])
    out.setflags(write=False)
    return out


def grade_information(
    p: FloatArray,
    density: FloatArray,
    others_above: FloatArray,
    bars: Sequence[float],
) -> FloatArray:
    """Mutual information (nats) between the answer to each item and the candidate's grade.

    One row per item of a required competency: ``p`` (items x grid) is P(right | theta) on
    :data:`GRID`, ``density`` (grid, or items x grid) the posterior of the item's
    competency, ``others_above`` (bars, or items x bars) the probability that every *other*
    required competency clears each of the ascending ``bars`` (the product of their
    posterior probabilities: competencies are estimated independently). The grade ``G`` is
    the number of bars every required competency clears. With ``S_k(theta)`` the share of
    the cell at ``theta`` above bar ``k`` (``S_0 = 1``, ``S_{m+1} = 0``) and ``q_k`` the
    others' probability (``q_0 = 1``, ``q_{m+1} = 0``), ``P(G >= g | theta) = S_g q_g``, so
    with ``w`` the density ``P(G = g, right) = q_g A_g - q_{g+1} A_{g+1}`` where
    ``A_g = sum_theta w P S_g``, and likewise ``P(G = g)`` with ``D_g = sum_theta w S_g``.
    The result is ``sum_{g, x} P(g, x) log(P(g, x) / (P(g) P(x)))``: how much one answer is
    expected to tell about the grade, zero when the grade is already certain.
    """
    n, m = p.shape[0], len(bars)
    shares = _padded_shares(tuple(bars))
    w = np.broadcast_to(np.asarray(density, float), p.shape)
    q = np.broadcast_to(np.asarray(others_above, float), (n, m))
    q = np.hstack([np.ones((n, 1)), q, np.zeros((n, 1))])
    a_g = q * ((p * w) @ shares)
    d_g = q * (w @ shares)
    right = a_g[:, :-1] - a_g[:, 1:]
    grade = d_g[:, :-1] - d_g[:, 1:]
    joint = np.stack([np.maximum(grade - right, 0.0), np.maximum(right, 0.0)])
    p_answer = joint.sum(axis=2, keepdims=True)
    expected = p_answer * grade[None, :, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(joint > 1e-300, joint * np.log(joint / expected), 0.0)
    out: FloatArray = np.maximum(terms.sum(axis=(0, 2)), 0.0)
    return out


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
    _density: FloatArray = field(default_factory=lambda: np.zeros(0))

    def density(self) -> FloatArray:
        """The posterior on :data:`GRID` (normalised, cached until the next answer)."""
        if self.dirty:
            w: FloatArray = _normalise(self.log_post[None, :])[0]
            mean = float(w @ GRID)
            self._density = w
            self._estimate = (mean, math.sqrt(max(float(w @ GRID**2) - mean**2, 0.0)))
            self.dirty = False
        return self._density

    def estimate(self) -> tuple[float, float]:
        """EAP and posterior SD."""
        self.density()
        return self._estimate


class AdaptiveSession:
    """One adaptive sitting over several competencies.

    ``items``: the pool (each with its primary competency and parameters); ``plan``:
    competency -> items planned (the content balance, and the cap unless ``rule.max_items``
    is lower); ``rule``: the stopping rule; ``balance``: ``plan`` (shares of the plan) or
    ``decision`` (:func:`most_uncertain_competency` over the ``required`` competencies and
    the grade ``bars``, or the most grade information with ``selection="grade"``);
    ``selection``: ``information`` (Fisher information at the EAP) or ``grade``
    (:func:`grade_information` for the required competencies); ``rng``: the seeded
    generator; ``top_k`` and ``sympson_hetter``: exposure control. Call ``pick()``, show the
    item, ``record()`` its score (0..1, dichotomised with ``rule_scores``), repeat until
    ``pick()`` returns None.
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
        selection: str = "information",
    ) -> None:
        """Group the pool by competency and start every competency at the prior."""
        if balance not in ("plan", "decision"):
            raise ValueError(f"unknown balance {balance!r}")
        if selection not in ("information", "grade"):
            raise ValueError(f"unknown selection {selection!r}")
        self.selection = selection
        self._information: FloatArray | None = None
        self._ids = [i.id for i in items]
        self._row = {i.id: r for r, i in enumerate(items)}
        self._open = np.ones(len(items), dtype=bool)
        codes = [c for c in (list(plan) if required is None else list(required)) if c in plan]
        self._required_rows = {
            c: np.array([r for r, i in enumerate(items) if i.competency == c], dtype=int)
            for c in codes
        }
        self._all_required_rows = np.concatenate(
            [np.zeros(0, dtype=int), *self._required_rows.values()]
        )
        self._owner = np.zeros(len(items), dtype=int)
        for k, rows in enumerate(self._required_rows.values()):
            self._owner[rows] = k
        self._p_grid: FloatArray = probability(
            np.array([i.a for i in items], dtype=float)[:, None],
            np.array([i.b for i in items], dtype=float)[:, None],
            GRID[None, :],
        )
        self.balance = balance
        self.bars = sorted(bars)
        self._shares = bar_shares(self.bars)
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
                if self.selection == "grade":
                    return self._most_informative_competency(stopped)
                above = {c: self.probabilities_above(c) for c in self.required}
                choice = most_uncertain_competency(above, self.bars, stopped)
                if choice is not None:
                    return choice
        return next_competency(self.plan, given, se, stopped)

    def _most_informative_competency(self, stopped: Collection[str]) -> tuple[str, str] | None:
        """The open required competency whose best eligible item carries the most grade
        information (ties to plan order)."""
        if self._information is None:
            self._information = self._grade_information()
        best: tuple[float, str] | None = None
        for code, rows in self._required_rows.items():
            if code in stopped:
                continue
            values = self._information[rows[self._open[rows]]]
            value = float(values.max()) if values.size else 0.0
            if best is None or value > best[0]:
                best = (value, code)
        if best is None:
            return None
        return best[1], f"grade information {best[0]:.4f} nats"

    def criterion(self, competency: str) -> dict[str, float]:
        """Grade information (:func:`grade_information`) of the competency's eligible
        items, all required competencies computed at once and cached until the next answer
        or set-aside; empty unless ``selection="grade"`` and the competency is required."""
        if self.selection != "grade" or competency not in self._required_rows:
            return {}
        if self._information is None:
            self._information = self._grade_information()
        rows = self._required_rows[competency]
        rows = rows[self._open[rows]]
        return {self._ids[r]: float(self._information[r]) for r in rows}

    def _grade_information(self) -> FloatArray:
        """Grade information of every eligible item of a required competency, by pool row
        (0 elsewhere)."""
        codes = list(self._required_rows)
        density = np.array([self.scales[c].density() for c in codes])
        above = density @ self._shares  # competencies x bars
        # the product over every other competency: prefix times suffix products
        ones = np.ones((1, above.shape[1]))
        prefix = np.vstack([ones, np.cumprod(above, axis=0)[:-1]])
        suffix = np.vstack([np.cumprod(above[::-1], axis=0)[::-1][1:], ones])
        others = prefix * suffix
        rows = self._all_required_rows[self._open[self._all_required_rows]]
        owner = self._owner[rows]
        out = np.zeros(len(self._ids))
        if rows.size:
            out[rows] = grade_information(
                self._p_grid[rows], density[owner], others[owner], self.bars
            )
        return out

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
                criterion=self.criterion(code) or None,
            )
            if found is None:
                scale.stop = "exhausted"
                continue
            if found.set_aside:
                self._set_aside.update(found.set_aside)
                self._open[[self._row[i] for i in found.set_aside]] = False
                self._information = None
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
        self._open[self._row[item_id]] = False
        self._information = None
        self.picks.append(self.pending)
        self.pending = None
        self._update_stop(item.competency)

    def abilities(self) -> dict[str, tuple[float, float]]:
        """EAP ability and standard error per competency of the plan."""
        return {c: s.estimate() for c, s in self.scales.items()}

    def posterior_density(self, competency: str) -> FloatArray:
        """The current posterior of one competency on :data:`GRID`."""
        return self.scales[competency].density().copy()

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
