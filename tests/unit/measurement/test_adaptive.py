"""Adaptive selection: information, exposure control, content balance, stopping."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from assess.measurement import irt
from assess.measurement.adaptive import (
    AdaptiveSession,
    CandidateItem,
    StopRule,
    bar_shares,
    grade_information,
    most_uncertain_competency,
    next_competency,
    next_item,
    stop_reason,
    sympson_hetter_update,
)


def _pool(code: str = "PY", count: int = 10) -> list[CandidateItem]:
    """Items of one competency with b from -2 to 2 and rising a."""
    return [
        CandidateItem(f"{code.lower()}-{i}", code, 0.8 + 0.1 * i, -2.0 + 4.0 * i / (count - 1))
        for i in range(count)
    ]


def test_the_most_informative_item_is_picked_with_top_1() -> None:
    """top_k=1 is plain maximum information at theta; the pick says why."""
    pool = _pool()
    info = [float(irt.item_information(c.a, c.b, 0.7)) for c in pool]
    pick = next_item(pool, 0.7, [], np.random.default_rng(0), top_k=1)
    assert pick is not None
    best = int(np.argmax(info))
    assert pick.item_id == pool[best].id
    assert (pick.rank, pick.pool, pick.competency) == (1, 10, "PY")
    assert pick.information == pytest.approx(info[best])
    # administered items are out of the running
    second = next_item(pool, 0.7, [pool[best].id], np.random.default_rng(0), top_k=1)
    assert second is not None and second.item_id == pool[int(np.argsort(info)[-2])].id
    assert next_item(pool, 0.7, [c.id for c in pool], np.random.default_rng(0)) is None


def test_randomesque_draws_evenly_among_the_top_k_and_is_reproducible() -> None:
    """With top_k=3 only the three most informative items come up, each about a third of
    the time; the same seed gives the same draws."""
    pool = _pool()
    top3 = {
        pool[i].id
        for i in np.argsort([-float(irt.item_information(c.a, c.b, 0.0)) for c in pool])[:3]
    }
    rng = np.random.default_rng(4)
    picks = [next_item(pool, 0.0, [], rng, top_k=3) for _ in range(3000)]
    counts = Counter(p.item_id for p in picks if p is not None)
    assert set(counts) == top3
    assert all(0.28 <= c / 3000 <= 0.39 for c in counts.values())
    assert {p.rank for p in picks if p is not None} == {1, 2, 3}
    again = [next_item(pool, 0.0, [], np.random.default_rng(4), top_k=3) for _ in range(1)]
    assert again[0] == picks[0]


def test_sympson_hetter_sets_aside_a_blocked_item() -> None:
    """An item with k=0 is never given while others remain; it is listed as set aside."""
    pool = _pool()
    best = next_item(pool, 0.0, [], np.random.default_rng(1), top_k=1)
    assert best is not None
    pick = next_item(
        pool, 0.0, [], np.random.default_rng(1), top_k=1, sympson_hetter={best.item_id: 0.0}
    )
    assert pick is not None and pick.item_id != best.item_id
    assert pick.set_aside == (best.item_id,)
    assert pick.rank == 2
    only = next_item(pool[:1], 0.0, [], np.random.default_rng(1), sympson_hetter={pool[0].id: 0.0})
    assert only is not None and only.item_id == pool[0].id  # the last item is kept


def test_sympson_hetter_update_caps_the_overexposed() -> None:
    """k = r_max / selection rate above r_max, 1 below."""
    k = sympson_hetter_update({"a": 1.0, "b": 0.5, "c": 1.0}, {"a": 0.5, "b": 0.1}, 0.25)
    assert k == {"a": pytest.approx(0.5), "b": 1.0, "c": 1.0}


def _exposure(
    pool: list[CandidateItem], top_k: int, sh: dict[str, float] | None, seed: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Administration and selection rates over 300 sittings of 3 items."""
    rng = np.random.default_rng(seed)
    shown: Counter[str] = Counter()
    selected: Counter[str] = Counter()
    for _ in range(300):
        session = AdaptiveSession(pool, {"PY": 3}, rng, top_k=top_k, sympson_hetter=sh)
        while (pick := session.pick()) is not None:
            shown[pick.item_id] += 1
            selected.update([pick.item_id, *pick.set_aside])
            session.record(pick.item_id, float(rng.random() < 0.5))
    return {i: c / 300 for i, c in shown.items()}, {i: c / 300 for i, c in selected.items()}


def test_exposure_control_spreads_the_items() -> None:
    """Plain maximum information gives the same first item to everybody; randomesque top-5
    keeps every item under 0.5 (3 items from the top few); Sympson-Hetter parameters
    adjusted over three simulated rounds bring the maximum down further."""
    pool = _pool(count=20)
    assert max(_exposure(pool, 1, None, 1)[0].values()) == 1.0
    randomesque = max(_exposure(pool, 5, None, 2)[0].values())
    assert randomesque < 0.5
    sh = {c.id: 1.0 for c in pool}
    for seed in range(3):
        sh = sympson_hetter_update(sh, _exposure(pool, 5, sh, 10 + seed)[1], 0.25)
    assert max(_exposure(pool, 5, sh, 99)[0].values()) < randomesque
    assert min(sh.values()) < 1.0


def test_content_balance_follows_the_plan() -> None:
    """Competencies come up by their share of the plan, each gets its planned count."""
    pool = _pool("PY") + _pool("SQL") + _pool("WEB")
    session = AdaptiveSession(pool, {"PY": 2, "SQL": 1, "WEB": 1}, np.random.default_rng(3))
    order = []
    while (pick := session.pick()) is not None:
        assert session.pick() == pick  # asking again before recording gives the same item
        order.append(pick.competency)
        assert pick.competency_reason
        session.record(pick.item_id, 1.0)
    assert order == ["PY", "SQL", "WEB", "PY"]
    assert session.stop_reasons() == {"PY": "max_items", "SQL": "max_items", "WEB": "max_items"}
    assert len(session.picks) == 4
    theta, se = session.abilities()["PY"]
    assert theta > 0 and se < 1
    assert len(session.items_of("PY")) == 2


def test_next_competency_prefers_the_furthest_behind_then_the_least_certain() -> None:
    """Share of the plan first, then the larger standard error, stopped ones never."""
    plan = {"PY": 2, "SQL": 2, "WEB": 2}
    assert (
        next_competency(plan, {"PY": 1, "SQL": 0, "WEB": 0}, {"SQL": 0.5, "WEB": 0.9})[0] == "WEB"
    )
    assert next_competency(plan, {}, {}, stopped=["PY", "SQL"])[0] == "WEB"
    assert next_competency(plan, {}, {}, stopped=list(plan)) is None


def test_a_competency_stops_on_its_standard_error() -> None:
    """The se rule stops a competency once it is precise enough (after min_items)."""
    assert stop_reason(0.25, 2, StopRule(0.3, 6, 1), remaining=5) == "se"
    assert stop_reason(0.25, 0, StopRule(0.3, 6, 1), remaining=5) is None
    assert stop_reason(0.5, 6, StopRule(0.3, 6, 1), remaining=5) == "max_items"
    assert stop_reason(0.5, 1, StopRule(0.3, 6, 1), remaining=0) == "exhausted"
    pool = [CandidateItem(f"py-{i}", "PY", 3.0, 0.0) for i in range(30)]
    session = AdaptiveSession(
        pool, {"PY": 30}, np.random.default_rng(0), rule=StopRule(se_target=0.45, max_items=30)
    )
    answers = 0
    while (pick := session.pick()) is not None:
        session.record(pick.item_id, float(answers % 2))
        answers += 1
    assert session.stop_reasons()["PY"] == "se"
    assert session.abilities()["PY"][1] <= 0.45
    assert answers < 30


def test_record_refuses_an_item_that_was_not_picked() -> None:
    """Only the pending pick can be recorded."""
    session = AdaptiveSession(_pool(), {"PY": 2}, np.random.default_rng(0))
    with pytest.raises(ValueError, match="not the item picked"):
        session.record("py-0", 1.0)
    pick = session.pick()
    assert pick is not None
    session.record(pick.item_id, 0.5)  # partial credit is dichotomised to 0
    assert session.abilities()["PY"][0] < 0


def test_adaptive_estimates_are_closer_than_random_items() -> None:
    """Over 300 simulated people, 5 adaptive items estimate ability with a smaller error
    than 5 random items from the same pool."""
    rng = np.random.default_rng(21)
    pool = [
        CandidateItem(f"py-{i}", "PY", float(a), float(b))
        for i, (a, b) in enumerate(
            zip(np.exp(rng.normal(0, 0.3, 40)), rng.normal(0, 1.2, 40), strict=True)
        )
    ]
    errors_adaptive, errors_random = [], []
    for theta in rng.normal(size=300):
        session = AdaptiveSession(pool, {"PY": 5}, rng, top_k=2)
        while (pick := session.pick()) is not None:
            item = next(c for c in pool if c.id == pick.item_id)
            session.record(
                pick.item_id, float(rng.random() < irt.probability(item.a, item.b, theta))
            )
        errors_adaptive.append(session.abilities()["PY"][0] - theta)
        chosen = rng.choice(40, 5, replace=False)
        items = [pool[j] for j in chosen]
        x = [float(rng.random() < irt.probability(c.a, c.b, theta)) for c in items]
        errors_random.append(irt.estimate_ability(items, x)[0] - theta)
    assert np.sqrt(np.mean(np.square(errors_adaptive))) < np.sqrt(np.mean(np.square(errors_random)))


def test_decision_balance_asks_the_competency_that_can_flip_the_grade() -> None:
    """With every competency clearly above the junior bar except SQL, which sits on it,
    SQL is the one to ask; stopped competencies are skipped."""
    bars = [-1.0, 0.0, 1.0]
    above = {"PY": [0.99, 0.9, 0.2], "SQL": [0.55, 0.1, 0.0], "WEB": [0.97, 0.7, 0.1]}
    code, why = most_uncertain_competency(above, bars) or ("", "")
    assert code == "SQL" and "grade decision" in why
    # current grade junior: the decisive bars are junior's and middle's, SQL at 0.55 leads
    assert most_uncertain_competency(above, bars, stopped=["SQL"])[0] == "WEB"
    assert most_uncertain_competency(above, bars, stopped=list(above)) is None


def test_decision_session_spends_the_extra_questions_on_the_weak_competency() -> None:
    """After one question each, a session in ``decision`` mode keeps asking the required
    competency answered wrong (near a bar) and never the non-required one again."""
    pool = _pool("PY", 12) + _pool("SQL", 12) + _pool("ASYNC", 12)
    session = AdaptiveSession(
        pool,
        {"PY": 6, "SQL": 6, "ASYNC": 6},
        np.random.default_rng(2),
        rule=StopRule(se_target=0.0, max_items=6, min_items=1),
        balance="decision",
        required=["PY", "SQL"],
    )
    order = []
    for _ in range(7):
        pick = session.pick()
        assert pick is not None
        order.append(pick.competency)
        session.record(pick.item_id, 1.0 if pick.competency == "PY" else 0.0)
    assert order[:3] == ["PY", "SQL", "ASYNC"]
    assert order[3:].count("ASYNC") == 0
    assert order[3:].count("SQL") >= 3
    with pytest.raises(ValueError, match="unknown balance"):
        AdaptiveSession(pool, {"PY": 1}, np.random.default_rng(0), balance="other")


def _brute_grade_information(
    a: float, b: float, density: np.ndarray, others: list[float], bars: list[float]
) -> float:
    """Mutual information of one item's answer and the grade by enumeration: the grade is
    min(bars this competency clears, the others' grade), the others' grade drawn from
    P(others >= g) = others[g - 1]."""
    q = [1.0, *others, 0.0]
    p_others = [q[g] - q[g + 1] for g in range(len(bars) + 1)]
    joint = np.zeros((2, len(bars) + 1))
    for theta, w in zip(irt.GRID, density, strict=True):
        own = sum(1 for bar in bars if theta > bar)
        p = float(irt.probability(a, b, theta))
        for g_other, pg in enumerate(p_others):
            g = min(own, g_other)
            joint[1, g] += w * pg * p
            joint[0, g] += w * pg * (1 - p)
    marginal = joint.sum(axis=0, keepdims=True) * joint.sum(axis=1, keepdims=True)
    mask = joint > 0
    return float((joint[mask] * np.log(joint[mask] / marginal[mask])).sum())


def test_grade_information_is_the_mutual_information_of_answer_and_grade() -> None:
    """On a density off the bars (so no grid cell is split) the closed form equals the
    enumeration; it is zero once the grade is certain and largest near the decisive bar."""
    bars = [-1.0, 0.0, 1.0]
    density = np.exp(-0.5 * ((irt.GRID + 0.47) / 0.4) ** 2)
    density[np.isin(np.round(irt.GRID, 6), bars)] = 0.0
    density /= density.sum()
    a, b = np.array([1.0, 1.5, 0.7]), np.array([-0.5, -1.0, 2.0])
    p = irt.probability(a[:, None], b[:, None], irt.GRID[None, :])
    others = [0.9, 0.6, 0.1]
    values = grade_information(p, density, np.array(others), bars)
    for j in range(3):
        expected = _brute_grade_information(float(a[j]), float(b[j]), density, others, bars)
        assert values[j] == pytest.approx(expected, rel=1e-9, abs=1e-12)
    # another competency is surely below junior: the grade is "none" whatever this one does
    assert np.allclose(grade_information(p, density, np.zeros(3), bars), 0.0)
    # the others surely clear every bar: an item at the bar this competency sits on tells most
    near = grade_information(
        irt.probability(np.ones((3, 1)), np.array([[-3.0], [-1.0], [2.5]]), irt.GRID[None, :]),
        density,
        np.ones(3),
        bars,
    )
    assert int(np.argmax(near)) == 1


def test_bar_shares_give_the_posterior_probability_above_each_bar() -> None:
    """density @ bar_shares(bars) equals Posterior.probability_above for every bar."""
    post = irt.posterior([irt.ItemParams(1.2, 0.3), irt.ItemParams(0.8, -0.5)], [1.0, 0.0])
    shares = bar_shares([-1.0, 0.05, 1.0])
    assert list(post.density @ shares) == pytest.approx(
        [post.probability_above(bar) for bar in (-1.0, 0.05, 1.0)]
    )


def test_next_item_ranks_by_a_given_criterion() -> None:
    """With ``criterion`` the ranking is the criterion's, not the Fisher information's."""
    pool = _pool()
    criterion = {c.id: float(i == 0) for i, c in enumerate(pool)}
    pick = next_item(pool, 2.0, [], np.random.default_rng(0), top_k=1, criterion=criterion)
    assert pick is not None and pick.item_id == pool[0].id and pick.information == 1.0


def test_grade_selection_asks_the_competency_that_decides_the_grade() -> None:
    """selection="grade" with the decision balance: after one question each, the next ones go
    to the required competency answered wrong (it alone can keep the grade at "none" or lift
    it), never to the non-required one; the picks say why."""
    pool = _pool("PY", 12) + _pool("SQL", 12) + _pool("ASYNC", 12)
    session = AdaptiveSession(
        pool,
        {"PY": 6, "SQL": 6, "ASYNC": 6},
        np.random.default_rng(2),
        rule=StopRule(se_target=0.0, max_items=6, min_items=1),
        balance="decision",
        required=["PY", "SQL"],
        selection="grade",
    )
    order = []
    for _ in range(7):
        pick = session.pick()
        assert pick is not None
        order.append(pick.competency)
        if len(order) > 3:
            assert "grade information" in pick.competency_reason
        session.record(pick.item_id, 1.0 if pick.competency == "PY" else 0.0)
    assert order[:3] == ["PY", "SQL", "ASYNC"]
    assert order[3:].count("ASYNC") == 0
    assert order[3:].count("SQL") >= 3
    assert session.criterion("ASYNC") == {}
    assert set(session.criterion("SQL")) <= {c.id for c in pool if c.competency == "SQL"}
    with pytest.raises(ValueError, match="unknown selection"):
        AdaptiveSession(pool, {"PY": 1}, np.random.default_rng(0), selection="other")
