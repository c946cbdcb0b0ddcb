"""The scoring engine: examples and properties (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.scoring import (
    CompetencyInfo,
    GradeInfo,
    RubricEvidence,
    ScoredItem,
    build_scorecard,
)

COMPETENCIES = [
    CompetencyInfo("PY", "required"),
    CompetencyInfo("SQL", "required"),
    CompetencyInfo("NOSQL", "desirable"),
    CompetencyInfo("ASYNC", "advantage"),
]
GRADES = [
    GradeInfo("junior", 1, 0.5, 2),
    GradeInfo("middle", 2, 0.6, 2),
    GradeInfo("senior", 3, 0.7, 2),
]
CODES = [c.code for c in COMPETENCIES]


def item(key: str, code: str, score: float, rank: int = 2, weight: float = 1.0) -> ScoredItem:
    """A one-competency item."""
    return ScoredItem(key, "question", rank, score, {code: weight})


def test_competency_score_is_earned_over_possible() -> None:
    """Weighted earned points over possible points, with the evidence count."""
    card = build_scorecard(
        [item("a", "PY", 1.0), item("b", "PY", 0.0, weight=3.0), item("c", "SQL", 0.5)],
        COMPETENCIES,
        GRADES,
    )
    py = card.competency("PY")
    assert (py.earned, py.possible, py.evidence) == (1.0, 4.0, 2)
    assert py.automated == 0.25
    assert card.competency("SQL").evidence == 1
    assert card.competency("NOSQL").automated is None


def test_recommended_grade_is_the_highest_met() -> None:
    """Middle items passed at 0.65 meet junior (0.5) and middle (0.6) but not senior."""
    items = [item(f"p{n}", "PY", 0.65) for n in range(3)] + [
        item(f"s{n}", "SQL", 0.65) for n in range(3)
    ]
    card = build_scorecard(items, COMPETENCIES, GRADES)
    fits = {fit.grade: fit for fit in card.grades}
    assert fits["junior"].met and fits["middle"].met
    assert not fits["senior"].met and set(fits["senior"].gaps) == {"PY", "SQL"}
    assert card.recommended_grade == "middle"


def test_harder_items_count_for_easier_grades_only() -> None:
    """Junior items are no evidence for Senior."""
    items = [item(f"p{n}", c, 1.0, rank=1) for n in range(3) for c in ("PY", "SQL")]
    card = build_scorecard(items, COMPETENCIES, GRADES)
    assert card.recommended_grade == "junior"
    assert card.competency("PY").by_grade["senior"] is None


def test_not_enough_evidence_does_not_meet_a_grade() -> None:
    """One item per competency is below min_evidence: no grade is recommended."""
    card = build_scorecard([item("a", "PY", 1.0), item("b", "SQL", 1.0)], COMPETENCIES, GRADES)
    assert card.recommended_grade is None
    assert card.competency("PY").sufficient is False


def test_interview_scores_join_with_their_weight() -> None:
    """Rubric 4 (=1.0) and automated 0.5 at weight 0.4 combine to 0.7; spread is shown."""
    items = [item("a", "PY", 0.5), item("b", "PY", 0.5)]
    rubric = [RubricEvidence("PY", "i1", 4), RubricEvidence("PY", "i2", 4)]
    card = build_scorecard(items, COMPETENCIES, GRADES, rubric, interview_weight=0.4)
    py = card.competency("PY")
    assert py.interview == 1.0
    assert py.combined == pytest.approx(0.7)
    assert py.interview_spread == 0
    spread = build_scorecard(
        items, COMPETENCIES, GRADES, [RubricEvidence("PY", "a", 1), RubricEvidence("PY", "b", 4)]
    )
    assert spread.competency("PY").interview_spread == 3


def test_invalid_inputs_are_refused() -> None:
    """Scores outside 0..1, negative weights and rubric scores outside 1..4 raise."""
    with pytest.raises(ValueError):
        item("x", "PY", 1.5)
    with pytest.raises(ValueError):
        item("x", "PY", 0.5, weight=-1)
    with pytest.raises(ValueError):
        RubricEvidence("PY", "i", 5)
    with pytest.raises(ValueError):
        build_scorecard([], COMPETENCIES, GRADES, interview_weight=2)


def test_scorecard_serialises() -> None:
    """The JSON form carries the grade, gaps and per-competency figures."""
    data = build_scorecard([item("a", "PY", 1.0)], COMPETENCIES, GRADES).to_json()
    assert data["recommended_grade"] is None
    assert data["competencies"][0]["code"] == "PY"
    assert data["grades"][0]["gaps"] == ["PY", "SQL"]
    assert data["items"] == ["a"]


items_strategy = st.lists(
    st.builds(
        ScoredItem,
        key=st.text("abcdef", min_size=1, max_size=4),
        kind=st.just("question"),
        grade_rank=st.integers(1, 3),
        score=st.floats(0, 1),
        weights=st.dictionaries(st.sampled_from(CODES), st.floats(0.1, 3), min_size=1),
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(items_strategy, st.sampled_from(CODES), st.integers(1, 3), st.floats(0.1, 3))
def test_adding_a_correct_answer_never_lowers_a_score(
    items: list[ScoredItem], code: str, rank: int, weight: float
) -> None:
    """A new fully correct item never lowers any competency's score at any grade."""
    before = build_scorecard(items, COMPETENCIES, GRADES)
    after = build_scorecard(
        [*items, ScoredItem("zz-new", "question", rank, 1.0, {code: weight})], COMPETENCIES, GRADES
    )
    for old, new in zip(before.competencies, after.competencies, strict=True):
        if old.automated is not None:
            assert new.automated is not None and new.automated >= old.automated - 1e-12
        for grade, value in old.by_grade.items():
            if value is not None:
                assert (new.by_grade[grade] or 0) >= value - 1e-12
    met_before = {f.grade for f in before.grades if f.met}
    assert met_before <= {f.grade for f in after.grades if f.met}


@settings(max_examples=150, deadline=None)
@given(items_strategy, items_strategy)
def test_grade_gate_ignores_advantage_and_desirable(
    items: list[ScoredItem], extra: list[ScoredItem]
) -> None:
    """Changing only ASYNC/NOSQL evidence never changes which grades are met."""
    base = [i for i in items if not ({"ASYNC", "NOSQL"} & set(i.weights))]
    bonus_only = [
        ScoredItem("b" + i.key, i.kind, i.grade_rank, i.score, {"ASYNC": 1.0, "NOSQL": 0.5})
        for i in extra
    ]
    plain = build_scorecard(base, COMPETENCIES, GRADES)
    with_bonus = build_scorecard(base + bonus_only, COMPETENCIES, GRADES)
    assert [f.met for f in plain.grades] == [f.met for f in with_bonus.grades]
    assert plain.recommended_grade == with_bonus.recommended_grade
    assert with_bonus.bonus >= plain.bonus


@settings(max_examples=100, deadline=None)
@given(items_strategy)
def test_identical_inputs_give_identical_scorecards(items: list[ScoredItem]) -> None:
    """Scoring is deterministic and independent of the order items arrive in."""
    first = build_scorecard(items, COMPETENCIES, GRADES).to_json()
    second = build_scorecard(list(reversed(items)), COMPETENCIES, GRADES).to_json()
    assert first == second
