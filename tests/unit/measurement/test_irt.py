"""2PL calibration and ability estimation recover what simulated data was built from."""

from __future__ import annotations

import math

import numpy as np
import pytest

from assess.measurement import irt
from assess.measurement.irt import ItemParams


def _bank(seed: int, items: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """True parameters: log a ~ N(0, 0.35^2), b ~ N(0, 1)."""
    rng = np.random.default_rng(seed)
    return np.exp(rng.normal(0.0, 0.35, items)), rng.normal(0.0, 1.0, items)


def _simulate(seed: int, shown: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """2,000 candidates answering a share ``shown`` of 30 items (NaN elsewhere)."""
    a, b = _bank(seed)
    rng = np.random.default_rng(seed + 100)
    theta = rng.normal(size=2000)
    x = irt.simulate_responses(a, b, theta, rng)
    if shown < 1:
        x[rng.random(x.shape) >= shown] = np.nan
    return a, b, x


@pytest.fixture(scope="module", params=[1.0, 0.4], ids=["complete", "sparse-40pct"])
def recovered(request: pytest.FixtureRequest) -> tuple[np.ndarray, np.ndarray, list[irt.ItemFit]]:
    """True parameters and the fit of simulated responses (complete and sparse designs)."""
    a, b, x = _simulate(7, request.param)
    return a, b, irt.fit_2pl(x)


def test_fit_recovers_difficulty_and_discrimination(
    recovered: tuple[np.ndarray, np.ndarray, list[irt.ItemFit]],
) -> None:
    """corr(b_hat, b) >= 0.95 and corr(a_hat, a) >= 0.8, converged, every item calibrated."""
    a, b, fits = recovered
    assert all(f.converged and f.calibrated for f in fits)
    assert np.corrcoef([f.b for f in fits], b)[0, 1] >= 0.95
    assert np.corrcoef([f.a for f in fits], a)[0, 1] >= 0.8


def test_fit_standard_errors_match_the_errors(
    recovered: tuple[np.ndarray, np.ndarray, list[irt.ItemFit]],
) -> None:
    """The errors divided by their standard errors have a spread near 1."""
    a, b, fits = recovered
    z_b = (np.array([f.b for f in fits]) - b) / np.array([f.se_b for f in fits])
    z_a = (np.array([f.a for f in fits]) - a) / np.array([f.se_a for f in fits])
    assert 0.6 <= z_b.std() <= 1.6
    assert 0.6 <= z_a.std() <= 1.6
    assert all(f.n > 0 for f in fits)


def test_sparse_fit_counts_only_shown_responses() -> None:
    """``n`` is the number of non-NaN responses of each item."""
    _, _, x = _simulate(3, 0.4)
    fits = irt.fit_2pl(x[:400], max_iter=50)
    assert [f.n for f in fits] == list((~np.isnan(x[:400])).sum(axis=0))


def test_items_with_too_few_responses_keep_their_grade_prior() -> None:
    """An item seen by fewer than ``min_responses`` people keeps (a=1, b=grade bar)."""
    _, _, x = _simulate(5, 1.0)
    x = x[:, :4].copy()
    x[20:, 2] = np.nan  # 20 responses
    x[:, 3] = np.nan  # never shown
    fits = irt.fit_2pl(x, ["junior", "middle", "senior", "junior"], min_responses=50)
    assert fits[0].calibrated and fits[1].calibrated
    assert (fits[2].a, fits[2].b, fits[2].calibrated, fits[2].n) == (1.0, 1.0, False, 20)
    assert (fits[3].a, fits[3].b, fits[3].calibrated) == (1.0, -1.0, False)
    assert math.isnan(fits[2].se_b)


def test_fit_survives_an_item_everybody_answers_right() -> None:
    """The priors keep an all-correct item finite and very easy."""
    _, _, x = _simulate(9, 1.0)
    x = x[:500, :6].copy()
    x[:, 0] = 1.0
    fits = irt.fit_2pl(x)
    assert math.isfinite(fits[0].b) and fits[0].b < -2


def test_fit_rejects_a_grade_list_of_the_wrong_length() -> None:
    """One grade per item."""
    with pytest.raises(ValueError, match="one grade per item"):
        irt.fit_2pl(np.zeros((3, 2)), ["junior"])


def test_no_responses_give_the_prior() -> None:
    """Without responses the EAP is 0 and its standard error 1."""
    theta, se = irt.estimate_ability([], [])
    assert theta == pytest.approx(0.0, abs=1e-9)
    assert se == pytest.approx(1.0, abs=1e-3)
    assert irt.probability_above(1.0, [], []) == pytest.approx(0.1587, abs=2e-3)


def test_eap_moves_with_the_answers_and_its_error_shrinks_with_more_items() -> None:
    """Right answers raise the estimate; each extra item lowers the standard error."""
    items = [ItemParams(1.2, b) for b in np.linspace(-1.5, 1.5, 20)]
    ses = [irt.estimate_ability(items[:k], [1.0, 0.0] * (k // 2))[1] for k in (2, 6, 12, 20)]
    assert ses == sorted(ses, reverse=True) and ses[-1] < 0.6 * ses[0]
    high, _ = irt.estimate_ability(items[:6], [1.0] * 6)
    low, _ = irt.estimate_ability(items[:6], [0.0] * 6)
    assert high > 0.8 and low < -0.8
    # NaN = not shown: the same as leaving the item out
    assert irt.estimate_ability(items[:3], [1.0, np.nan, 0.0]) == pytest.approx(
        irt.estimate_ability([items[0], items[2]], [1.0, 0.0])
    )


def test_the_95_percent_band_covers_about_95_percent() -> None:
    """EAP +- 1.96 posterior SD contains the true ability for ~95% of simulated people."""
    rng = np.random.default_rng(11)
    a, b = _bank(11, items=12)
    theta = rng.normal(size=4000)
    x = irt.simulate_responses(a, b, theta, rng)
    x[rng.random(x.shape) < 0.3] = np.nan
    items = [ItemParams(float(i), float(j)) for i, j in zip(a, b, strict=True)]
    mean, sd = irt.estimate_abilities(items, x)
    coverage = float(np.mean(np.abs(theta - mean) <= 1.96 * sd))
    assert 0.93 <= coverage <= 0.97
    one, one_se = irt.estimate_ability(items, x[0])
    assert (mean[0], sd[0]) == pytest.approx((one, one_se))


def test_probability_above_agrees_with_the_posterior() -> None:
    """The probability of exceeding a bar falls as the bar rises and matches the vector form."""
    items = [ItemParams(1.0, -1.0), ItemParams(1.5, 0.0), ItemParams(1.0, 1.0)]
    answers = [1.0, 1.0, 0.0]
    probs = [irt.probability_above(bar, items, answers) for bar in (-1.0, 0.0, 1.0)]
    assert probs == sorted(probs, reverse=True)
    post = irt.posterior(items, answers)
    assert post.density.sum() == pytest.approx(1.0)
    above = float(post.density[post.grid > 0].sum())
    assert probs[1] == pytest.approx(above, abs=0.03)
    matrix = irt.probabilities_above([-1.0, 0.0, 1.0], items, np.array([answers, answers]))
    assert matrix.shape == (2, 3)
    assert list(matrix[1]) == pytest.approx(probs)


def test_information_peaks_at_the_difficulty() -> None:
    """Item information is a^2/4 at theta = b, lower elsewhere; test information adds up."""
    assert float(irt.item_information(2.0, 0.5, 0.5)) == pytest.approx(1.0)
    assert float(irt.item_information(2.0, 0.5, 1.5)) < 1.0
    items = [ItemParams(1.0, 0.0), ItemParams(2.0, 1.0)]
    assert float(irt.test_information(items, 0.0)) == pytest.approx(
        0.25 + float(irt.item_information(2.0, 1.0, 0.0))
    )
    assert irt.test_information(items, np.array([0.0, 1.0])).shape == (2,)


def test_score_bar_to_theta_bar() -> None:
    """The ability with a 60% expected score inverts the test characteristic curve."""
    items = [ItemParams(1.0, 0.0), ItemParams(1.3, 0.4), ItemParams(0.8, -0.2)]
    bar = irt.theta_for_expected_score(items, 0.6)
    expected = np.mean([float(irt.probability(i.a, i.b, bar)) for i in items])
    assert expected == pytest.approx(0.6, abs=1e-6)
    assert irt.theta_for_expected_score([ItemParams(1.0, 0.3)], 0.5) == pytest.approx(0.3)
    with pytest.raises(ValueError, match="share"):
        irt.theta_for_expected_score(items, 1.0)


def test_dichotomise_full_marks_or_half() -> None:
    """``full``: only 1.0 counts; ``half``: 0.5 and above; NaN stays NaN."""
    scores = [1.0, 0.67, 0.5, 0.0, np.nan]
    assert list(irt.dichotomise(scores)[:4]) == [1.0, 0.0, 0.0, 0.0]
    assert list(irt.dichotomise(scores, "half")[:4]) == [1.0, 1.0, 1.0, 0.0]
    assert math.isnan(irt.dichotomise(scores)[4])
    with pytest.raises(ValueError, match="unknown rule"):
        irt.dichotomise(scores, "any")
