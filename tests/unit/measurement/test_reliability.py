"""Reliability coefficients and item diagnostics on known data."""

from __future__ import annotations

import math

import numpy as np
import pytest

from assess.measurement import irt
from assess.measurement.diagnostics import Limits, exposure_rates, item_diagnostics
from assess.measurement.reliability import cronbach_alpha, kr20, marginal_reliability

GUTTMAN = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]


def test_alpha_and_kr20_on_a_known_matrix() -> None:
    """A perfect 3-item Guttman pattern: item variances .1875 + .25 + .1875, total 1.25,
    so alpha = 3/2 * (1 - .625/1.25) = 0.75, and KR-20 the same."""
    assert cronbach_alpha(GUTTMAN) == pytest.approx(0.75)
    assert kr20(GUTTMAN) == pytest.approx(0.75)


def test_alpha_with_partial_credit_and_missing_rows() -> None:
    """Alpha on 0..1 scores matches the textbook formula with sample variances; rows with
    NaN are dropped; KR-20 refuses partial credit."""
    x = np.array(
        [[1.0, 0.5, 1.0, 0.67], [0.5, 0.5, 0.0, 0.33], [1.0, 1.0, 1.0, 1.0], [0, 0, 0.5, 0]]
    )
    k = x.shape[1]
    expected = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
    with_missing = np.vstack([x, [1.0, np.nan, 0.0, 1.0]])
    assert cronbach_alpha(with_missing) == pytest.approx(expected)
    with pytest.raises(ValueError, match="0/1"):
        kr20(x)
    assert math.isnan(cronbach_alpha([[1, 1], [1, 1]]))
    with pytest.raises(ValueError, match="two complete rows"):
        cronbach_alpha([[1, 0]])


def test_marginal_reliability() -> None:
    """var(theta_hat) / (var(theta_hat) + mean(se^2))."""
    assert marginal_reliability([-1.0, 1.0], [1.0, 1.0]) == pytest.approx(0.5)
    assert marginal_reliability([-1.0, 0.0, 1.0], [0.0, 0.0, 0.0]) == pytest.approx(1.0)


def test_more_items_give_higher_reliability() -> None:
    """On simulated data both alpha and marginal reliability rise with test length."""
    rng = np.random.default_rng(2)
    a, b = np.full(20, 1.3), np.linspace(-1.5, 1.5, 20)
    theta = rng.normal(size=1000)
    x = irt.simulate_responses(a, b, theta, rng)
    items = [irt.ItemParams(1.3, float(v)) for v in b]
    short = marginal_reliability(*irt.estimate_abilities(items[::4], x[:, ::4]))
    long = marginal_reliability(*irt.estimate_abilities(items, x))
    assert short < long
    assert kr20(x[:, ::4]) < kr20(x) and 0.7 < kr20(x) < 0.95


def test_diagnostics_flag_a_reversed_item_and_overexposure() -> None:
    """An item answered right mostly by weak candidates is flagged; items fitting the model
    have mean-squares near 1; exposure above the limit is flagged."""
    rng = np.random.default_rng(5)
    a, b = np.r_[np.full(9, 1.2), -1.2], np.r_[np.linspace(-1.5, 1.5, 9), 0.0]
    theta = rng.normal(size=2000)
    x = irt.simulate_responses(a, b, theta, rng)
    x[:1200, 0] = np.nan  # item 0 shown to 40% of people
    fits = irt.fit_2pl(x)
    estimates, _ = irt.estimate_abilities(fits, x)
    report = item_diagnostics(fits, x, estimates, limits=Limits(max_exposure=0.5))
    assert "negative-discrimination" in report[9].flags or "low-discrimination" in report[9].flags
    assert report[9].correlation < 0
    for good in report[1:9]:
        assert 0.8 < good.infit < 1.2 and 0.7 < good.outfit < 1.3
        assert good.flags == ("overexposed",)
    assert "overexposed" not in report[0].flags and report[0].exposure == pytest.approx(0.4)
    assert list(exposure_rates(~np.isnan(x))) == pytest.approx(list(exposure_rates(x)))


def test_diagnostics_mark_uncalibrated_items() -> None:
    """Items that kept the grade prior say so; too few responses leave mean-squares NaN."""
    x = np.array([[1.0, np.nan], [0.0, 1.0], [1.0, np.nan]] * 10)
    fits = irt.fit_2pl(x, ["junior", "senior"], min_responses=15)
    report = item_diagnostics(fits, x, np.zeros(30))
    assert "uncalibrated" in report[1].flags
    assert math.isnan(report[1].infit)
