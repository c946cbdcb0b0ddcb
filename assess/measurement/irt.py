"""The two-parameter logistic (2PL) model: calibration, ability estimates, information.

Model. For an item with discrimination ``a`` and difficulty ``b`` and a candidate of ability
``theta`` (one competency, standard-normal scale)::

    P(correct | theta) = 1 / (1 + exp(-a * (theta - b)))

Scores. The bank scores responses 0..1; the model needs 0/1. :func:`dichotomise` maps
**full marks to 1 and anything less to 0** (``score >= 1 - 1e-9``). Most question types
only ever score 0 or 1, and for the two that give partial credit (``multiple``, ``ordering``)
the partial values mean different things (a Kendall tau of 2/3 is one neighbour swap; 0.5 on
a ``multiple`` is one right pick short). A cut at 0.5 would treat those differently per type,
while "exactly right" means the same for every type. ``rule="half"`` (``score >= 0.5``) is
available for comparison. NaN (not shown) stays NaN.

Calibration. :func:`fit_2pl` is marginal maximum likelihood by Bock-Aitkin EM over a fixed
quadrature (41 points on -5..5 weighted by the N(0, 1) density): the E-step gives each person a
posterior over the quadrature points from the items they saw (NaN = not shown, so sparse
designs are fine); the M-step maximises, item by item, the expected complete-data
log-likelihood plus weak priors (``log a ~ N(0, 0.5^2)``, ``b ~ N(grade prior, 2^2)``) by Fisher
scoring. Standard errors: the inverse of the cross-product of the per-person score vectors at
the solution, over all calibrated items jointly, plus the prior precision (se of ``a`` by the
delta method). Items with fewer than ``min_responses`` responses keep their grade prior
(:data:`GRADE_PRIORS`) and are marked ``calibrated=False``.

Abilities. :func:`estimate_ability` is the EAP (posterior mean on a 121-point grid over -6..6,
N(0, 1) prior) with the posterior SD as the standard error; :func:`posterior` gives the grid and
the density; :func:`probability_above` the posterior probability that the ability exceeds a bar.

Grade bars. :data:`GRADE_BARS` puts the bars on the theta scale: junior -1, middle 0,
senior +1, the same points as the grade priors of the items, so "reaches middle" means "at
least even odds on a typical middle item". :func:`theta_for_expected_score` turns a score bar
stated on a set of items (e.g. 60% expected score on the grade's items) into a theta bar
instead, for callers who prefer to keep the bank's thresholds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

GRADE_PRIORS: Mapping[str, tuple[float, float]] = {
    "junior": (1.0, -1.0),
    "middle": (1.0, 0.0),
    "senior": (1.0, 1.0),
}
"""(a, b) an item of each grade is assumed to have before it is calibrated."""

GRADE_BARS: Mapping[str, float] = {"junior": -1.0, "middle": 0.0, "senior": 1.0}
"""The ability (theta) a required competency must exceed for each grade."""

GRID: FloatArray = np.linspace(-6.0, 6.0, 121)
"""The grid abilities are estimated on."""

_QUADRATURE = 41
_EPS = 1e-9


class HasAB(Protocol):
    """Anything with item parameters ``a`` and ``b`` (ItemParams, ItemFit, ...)."""

    @property
    def a(self) -> float:
        """Discrimination."""
        ...

    @property
    def b(self) -> float:
        """Difficulty."""
        ...


@dataclass(frozen=True)
class ItemParams:
    """The 2PL parameters of one item."""

    a: float
    b: float


@dataclass(frozen=True)
class ItemFit:
    """One item's calibration: estimates, standard errors and how they were obtained.

    ``n`` is the number of responses used; ``calibrated`` is False for items that kept their
    grade prior (too few responses; then ``se_a`` and ``se_b`` are NaN); ``converged`` tells
    whether the EM run met its tolerance.
    """

    a: float
    b: float
    se_a: float
    se_b: float
    n: int
    converged: bool
    calibrated: bool = True

    @property
    def params(self) -> ItemParams:
        """Just the parameters."""
        return ItemParams(self.a, self.b)


@dataclass(frozen=True)
class Posterior:
    """An ability posterior on a grid (``density`` sums to 1)."""

    grid: FloatArray
    density: FloatArray

    @property
    def mean(self) -> float:
        """The EAP estimate."""
        return float(self.grid @ self.density)

    @property
    def sd(self) -> float:
        """The posterior standard deviation (the EAP's standard error)."""
        m = self.mean
        return math.sqrt(max(float(((self.grid - m) ** 2) @ self.density), 0.0))

    def probability_above(self, bar: float) -> float:
        """Posterior probability that the ability exceeds ``bar`` (linear within a cell)."""
        return _mass_above(self.grid, self.density[None, :], bar)[0]


def _sigmoid(z: FloatArray) -> FloatArray:
    """The logistic function, safe for large |z|."""
    out: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * z))
    return out


def probability(
    a: float | FloatArray, b: float | FloatArray, theta: float | FloatArray
) -> FloatArray:
    """P(correct | theta) under the 2PL; broadcasts like numpy."""
    return _sigmoid(np.asarray(a, float) * (np.asarray(theta, float) - np.asarray(b, float)))


def item_information(
    a: float | FloatArray, b: float | FloatArray, theta: float | FloatArray
) -> FloatArray:
    """Fisher information of an item at ``theta``: ``a^2 P (1 - P)``; broadcasts."""
    p = probability(a, b, theta)
    return np.asarray(a, float) ** 2 * p * (1.0 - p)


def test_information(items: Sequence[HasAB], theta: float | FloatArray) -> FloatArray:
    """Sum of the items' information at ``theta`` (a scalar or an array of abilities)."""
    a, b = params_arrays(items)
    t = np.asarray(theta, float)
    info = item_information(a[:, None], b[:, None], t.reshape(1, -1)).sum(axis=0)
    out: FloatArray = info.reshape(t.shape)
    return out


def params_arrays(items: Sequence[HasAB]) -> tuple[FloatArray, FloatArray]:
    """The ``a`` and ``b`` of ``items`` as two arrays."""
    a = np.array([float(i.a) for i in items], dtype=float)
    b = np.array([float(i.b) for i in items], dtype=float)
    return a, b


def dichotomise(scores: npt.ArrayLike, rule: str = "full") -> FloatArray:
    """Map 0..1 scores to 1/0 (NaN kept): ``full`` = full marks only, ``half`` = >= 0.5."""
    s = np.asarray(scores, dtype=float)
    if rule == "full":
        cut = 1.0 - _EPS
    elif rule == "half":
        cut = 0.5
    else:
        raise ValueError(f"unknown rule {rule!r}")
    return np.where(np.isnan(s), np.nan, (s >= cut).astype(float))


def prior_params(grade: str | None) -> ItemParams:
    """The parameters an uncalibrated item of ``grade`` gets (a=1, b=0 with no grade)."""
    a, b = GRADE_PRIORS.get(grade or "", (1.0, 0.0))
    return ItemParams(a, b)


def _log_likelihood(a: FloatArray, b: FloatArray, x: FloatArray, grid: FloatArray) -> FloatArray:
    """Log-likelihood of each person's responses (rows of ``x``, NaN = not shown) at each
    grid point: an array persons x grid."""
    shown = ~np.isnan(x)
    x0 = np.where(shown, x, 0.0)
    p = np.clip(probability(a[:, None], b[:, None], grid[None, :]), _EPS, 1.0 - _EPS)
    out: FloatArray = x0 @ np.log(p) + (shown - x0) @ np.log1p(-p)
    return out


def _normalise(log_post: FloatArray) -> FloatArray:
    """Rows of log-densities to rows of probabilities summing to 1."""
    log_post = log_post - log_post.max(axis=1, keepdims=True)
    w = np.exp(log_post)
    out: FloatArray = w / w.sum(axis=1, keepdims=True)
    return out


def _prior_on(grid: FloatArray) -> FloatArray:
    """Log N(0, 1) density on the grid (up to a constant)."""
    out: FloatArray = -0.5 * grid**2
    return out


def _mass_above(grid: FloatArray, density: FloatArray, bar: float) -> list[float]:
    """Per row, the probability mass above ``bar``, splitting the cell that holds it."""
    step = grid[1] - grid[0]
    upper = grid + step / 2
    lower = grid - step / 2
    share = np.clip((upper - bar) / step, 0.0, 1.0)
    share = np.where(lower >= bar, 1.0, share)
    return [float(v) for v in (density * share[None, :]).sum(axis=1)]


def posterior(
    items: Sequence[HasAB], responses: npt.ArrayLike, grid: FloatArray | None = None
) -> Posterior:
    """The N(0, 1)-prior posterior of ability given 0/1 ``responses`` (NaN = not shown)
    to ``items`` (same order). With no responses it is the prior."""
    g = GRID if grid is None else np.asarray(grid, float)
    x = np.asarray(responses, dtype=float).reshape(1, -1)
    a, b = params_arrays(items)
    if x.shape[1] != a.size:
        raise ValueError("responses and items differ in length")
    log_post = _prior_on(g)[None, :]
    if a.size:
        log_post = log_post + _log_likelihood(a, b, x, g)
    return Posterior(g, _normalise(log_post)[0])


def estimate_ability(items: Sequence[HasAB], responses: npt.ArrayLike) -> tuple[float, float]:
    """EAP ability and its standard error (posterior SD) from 0/1 responses to items."""
    post = posterior(items, responses)
    return post.mean, post.sd


def estimate_abilities(
    items: Sequence[HasAB], responses: npt.ArrayLike, grid: FloatArray | None = None
) -> tuple[FloatArray, FloatArray]:
    """EAP and posterior SD for every row of a persons x items 0/1 matrix (NaN = not shown)."""
    g = GRID if grid is None else np.asarray(grid, float)
    a, b = params_arrays(items)
    x = np.atleast_2d(np.asarray(responses, dtype=float))
    w = _normalise(_prior_on(g)[None, :] + _log_likelihood(a, b, x, g))
    mean = w @ g
    sd = np.sqrt(np.maximum(w @ g**2 - mean**2, 0.0))
    return mean, sd


def probabilities_above(
    theta_bars: Sequence[float], items: Sequence[HasAB], responses: npt.ArrayLike
) -> FloatArray:
    """For every row of a persons x items 0/1 matrix (NaN = not shown), the posterior
    probability that the ability exceeds each bar: an array persons x bars."""
    a, b = params_arrays(items)
    x = np.atleast_2d(np.asarray(responses, dtype=float))
    w = _normalise(_prior_on(GRID)[None, :] + _log_likelihood(a, b, x, GRID))
    return np.array([_mass_above(GRID, w, bar) for bar in theta_bars]).T.reshape(
        -1, len(theta_bars)
    )


def probability_above(theta_bar: float, items: Sequence[HasAB], responses: npt.ArrayLike) -> float:
    """Posterior probability that the ability exceeds ``theta_bar`` given the responses."""
    return posterior(items, responses).probability_above(theta_bar)


def theta_for_expected_score(items: Sequence[HasAB], share: float) -> float:
    """The ability at which the expected share of ``items`` answered right equals ``share``
    (the test characteristic curve inverted by bisection), e.g. a grade's 60% score bar."""
    if not items or not 0.0 < share < 1.0:
        raise ValueError("need items and a share strictly between 0 and 1")
    a, b = params_arrays(items)
    lo, hi = -10.0, 10.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if float(probability(a, b, mid).mean()) < share:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def simulate_responses(
    a: npt.ArrayLike, b: npt.ArrayLike, theta: npt.ArrayLike, rng: np.random.Generator
) -> FloatArray:
    """0/1 responses of persons with ``theta`` to items ``a``, ``b`` (persons x items)."""
    p = probability(np.asarray(a)[None, :], np.asarray(b)[None, :], np.asarray(theta)[:, None])
    out: FloatArray = (rng.random(p.shape) < p).astype(float)
    return out


def fit_2pl(
    responses: npt.ArrayLike,
    grades: Sequence[str | None] | None = None,
    *,
    min_responses: int = 50,
    max_iter: int = 500,
    tol: float = 1e-4,
    log_a_prior_sd: float = 0.5,
    b_prior_sd: float = 2.0,
) -> list[ItemFit]:
    """Calibrate the items (columns of a persons x items 0/1 matrix, NaN = not shown) by
    marginal maximum likelihood (Bock-Aitkin EM, N(0, 1) ability prior, weak item priors).

    ``grades`` (one per item, optional) sets each item's prior difficulty and the parameters
    an item with fewer than ``min_responses`` responses keeps. Returns one ItemFit per column.
    """
    x = np.atleast_2d(np.asarray(responses, dtype=float))
    count = x.shape[1]
    if grades is not None and len(grades) != count:
        raise ValueError("one grade per item is needed")
    priors = [prior_params(grades[j] if grades else None) for j in range(count)]
    prior_b = np.array([p.b for p in priors])
    shown = ~np.isnan(x)
    x0 = np.where(shown, x, 0.0)
    n_resp = shown.sum(axis=0)
    free = n_resp >= max(min_responses, 1)

    nodes = np.linspace(-5.0, 5.0, _QUADRATURE)
    log_w = _prior_on(nodes)
    log_w = log_w - np.log(np.exp(log_w).sum())

    # start: a = prior a, b from the share right (a logit, shrunk towards the prior)
    p_right = (x0.sum(axis=0) + 0.5) / (n_resp + 1.0)
    alpha = np.log(np.array([p.a for p in priors]))
    b = np.where(free, np.clip(-np.log(p_right / (1 - p_right)) * 1.2, -3, 3), prior_b)
    converged = False
    for _ in range(max_iter):
        a = np.exp(alpha)
        weights = _normalise(log_w[None, :] + _log_likelihood(a, b, x, nodes))
        n_q = shown.T.astype(float) @ weights  # items x nodes: expected persons
        r_q = x0.T @ weights  # expected right answers
        new_alpha, new_b = _m_step(alpha, b, n_q, r_q, nodes, prior_b, log_a_prior_sd, b_prior_sd)
        new_alpha = np.where(free, new_alpha, alpha)
        new_b = np.where(free, new_b, b)
        change = float(np.max(np.abs(np.r_[new_alpha - alpha, new_b - b]), initial=0.0))
        alpha, b = new_alpha, new_b
        if change < tol:
            converged = True
            break

    a = np.exp(alpha)
    weights = _normalise(log_w[None, :] + _log_likelihood(a, b, x, nodes))
    se_alpha, se_b = _standard_errors(
        a, b, x0, shown, weights, nodes, log_a_prior_sd, b_prior_sd, free
    )
    fits = []
    for j in range(count):
        if free[j]:
            fits.append(
                ItemFit(
                    float(a[j]),
                    float(b[j]),
                    float(a[j] * se_alpha[j]),
                    float(se_b[j]),
                    int(n_resp[j]),
                    converged,
                )
            )
        else:
            fits.append(
                ItemFit(priors[j].a, priors[j].b, math.nan, math.nan, int(n_resp[j]), True, False)
            )
    return fits


def _m_step(
    alpha: FloatArray,
    b: FloatArray,
    n_q: FloatArray,
    r_q: FloatArray,
    nodes: FloatArray,
    prior_b: FloatArray,
    sd_alpha: float,
    sd_b: float,
) -> tuple[FloatArray, FloatArray]:
    """Maximise every item's expected log-likelihood plus log-priors in (log a, b) by a few
    Fisher-scoring steps, all items at once."""
    for _ in range(4):
        a = np.exp(alpha)
        d = nodes[None, :] - b[:, None]
        p = _sigmoid(a[:, None] * d)
        resid = r_q - n_q * p
        wgt = n_q * p * (1.0 - p)
        dz_alpha = a[:, None] * d
        g_alpha = (resid * dz_alpha).sum(axis=1) - alpha / sd_alpha**2
        g_b = -(resid.sum(axis=1)) * a - (b - prior_b) / sd_b**2
        i_aa = (wgt * dz_alpha**2).sum(axis=1) + 1.0 / sd_alpha**2
        i_bb = wgt.sum(axis=1) * a**2 + 1.0 / sd_b**2
        i_ab = -(wgt * dz_alpha).sum(axis=1) * a
        det = i_aa * i_bb - i_ab**2
        step_alpha = np.clip((i_bb * g_alpha - i_ab * g_b) / det, -0.5, 0.5)
        step_b = np.clip((i_aa * g_b - i_ab * g_alpha) / det, -1.0, 1.0)
        alpha = alpha + step_alpha
        b = b + step_b
        if float(np.max(np.abs(np.r_[step_alpha, step_b]), initial=0.0)) < 1e-6:
            break
    return alpha, b


def _standard_errors(
    a: FloatArray,
    b: FloatArray,
    x0: FloatArray,
    shown: FloatArray | npt.NDArray[np.bool_],
    weights: FloatArray,
    nodes: FloatArray,
    sd_alpha: float,
    sd_b: float,
    free: npt.NDArray[np.bool_],
) -> tuple[FloatArray, FloatArray]:
    """Standard errors of (log a, b) of the ``free`` items: the inverse of the cross-product
    of each person's score vector (posterior-averaged over the quadrature, all free items
    jointly) plus the prior precision. NaN for the other items."""
    d = nodes[None, :] - b[:, None]  # items x nodes
    p = _sigmoid(a[:, None] * d)
    dz_alpha = a[:, None] * d
    s_alpha = x0 * (weights @ dz_alpha.T) - weights @ (p * dz_alpha).T  # persons x items
    s_b = (-a)[None, :] * (x0 - weights @ p.T)
    s_alpha = np.where(shown, s_alpha, 0.0)[:, free]
    s_b = np.where(shown, s_b, 0.0)[:, free]
    scores = np.hstack([s_alpha, s_b])
    k = s_alpha.shape[1]
    info = scores.T @ scores
    info[np.diag_indices_from(info)] += np.r_[np.full(k, sd_alpha**-2), np.full(k, sd_b**-2)]
    try:
        var = np.diag(np.linalg.inv(info))
    except np.linalg.LinAlgError:
        var = np.full(2 * k, np.nan)
    se_alpha = np.full(a.size, np.nan)
    se_b = np.full(a.size, np.nan)
    se_alpha[free] = np.sqrt(np.maximum(var[:k], 0.0))
    se_b[free] = np.sqrt(np.maximum(var[k:], 0.0))
    return se_alpha, se_b
