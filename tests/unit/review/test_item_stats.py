"""Facility and discrimination of questions, and their flags."""

from __future__ import annotations

import pytest

from assess.services import item_stats


def test_pearson_handles_constant_series() -> None:
    """A constant series has no correlation (None), perfect ones are ±1."""
    assert item_stats.pearson([1, 1, 1], [0, 1, 2]) is None
    assert item_stats.pearson([0, 1, 2], [0, 2, 4]) == pytest.approx(1.0)
    assert item_stats.pearson([0, 1, 2], [4, 2, 0]) == pytest.approx(-1.0)
    assert item_stats.pearson([1], [1]) is None


def test_a_miskeyed_question_has_negative_discrimination() -> None:
    """Item 9 is answered right only by those who do badly elsewhere: flagged."""
    scores = {}
    for attempt in range(10):
        strong = attempt < 5
        good = 1.0 if strong else 0.0
        scores[attempt] = {1: good, 2: good, 3: good, 9: 1.0 - good}
    stats = {s.item: s for s in item_stats.compute(scores, {})}
    assert stats[9].discrimination == pytest.approx(-1.0)
    assert item_stats.FLAG_NEGATIVE in stats[9].flags
    assert stats[1].discrimination == pytest.approx(1.0)
    assert stats[1].flags == ()
    assert stats[1].facility == 0.5
    assert stats[1].seen == 10


def test_extreme_facility_and_few_responses() -> None:
    """Everyone right: too easy; nobody right: too hard; under the minimum: not judged."""
    assert item_stats.flags_for(20, 1.0, None) == (item_stats.FLAG_EASY,)
    assert item_stats.flags_for(20, 0.0, None) == (item_stats.FLAG_HARD,)
    assert item_stats.flags_for(3, 0.0, -0.5) == (item_stats.FLAG_FEW,)
    assert item_stats.flags_for(20, 0.5, 0.3) == ()


def test_totals_include_coding_tasks() -> None:
    """The rest score uses the given totals (tasks included), not only the questions."""
    scores = {a: {1: float(a % 2)} for a in range(6)}
    totals = {a: float(a % 2) + (3.0 if a % 2 else 0.0) for a in range(6)}
    (stat,) = item_stats.compute(scores, totals)
    assert stat.discrimination == pytest.approx(1.0)
