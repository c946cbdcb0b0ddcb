"""Pure parts of ranking, export and re-grade comparison."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from assess.insights import ranking
from assess.services.review import run_changes

THRESHOLDS = [("junior", 0.5), ("middle", 0.6), ("senior", 0.7)]
RANKS = {"junior": 1, "middle": 2, "senior": 3}


def card(grade: str | None, overall: float | None, py: float | None) -> dict[str, object]:
    """A small stored scorecard."""
    return {
        "recommended_grade": grade,
        "overall": overall,
        "bonus": 0.0,
        "interview_weight": 0.4,
        "grades": [
            {"grade": "junior", "met": grade is not None, "gaps": [] if grade else ["PY"]},
            {"grade": "middle", "met": False, "gaps": ["PY", "SQL"]},
            {"grade": "senior", "met": False, "gaps": ["PY"]},
        ],
        "competencies": [
            {"code": "PY", "combined": py, "automated": py, "interview": None, "evidence": 3}
        ],
    }


def row(
    aid: int, name: str, grade: str | None, overall: float | None, py: float | None
) -> ranking.CandidateScores:
    """A candidate row."""
    return ranking.CandidateScores(
        aid,
        name,
        f"{aid}@example.com",
        "junior",
        "finished",
        datetime(2026, 1, 1, tzinfo=UTC),
        card(grade, overall, py),
    )


ROWS = [
    row(1, "A", "junior", 0.55, 0.5),
    row(2, "B", None, 0.2, None),
    row(3, "C", "middle", 0.65, 0.9),
    row(4, "D", None, None, 0.1),
]


def test_level_of() -> None:
    """The highest bar reached; none below all; unknown without a value."""
    assert ranking.level_of(None, THRESHOLDS) == "unknown"
    assert ranking.level_of(0.49, THRESHOLDS) == "none"
    assert ranking.level_of(0.6, THRESHOLDS) == "middle"
    assert ranking.level_of(0.95, THRESHOLDS) == "senior"


def test_filter_and_sort() -> None:
    """Sort by overall, grade or competency; missing values last; filter by grade."""
    names = lambda rows: [r.name for r in rows]  # noqa: E731
    assert names(ranking.filter_and_sort(ROWS, RANKS)) == ["C", "A", "B", "D"]
    assert names(ranking.filter_and_sort(ROWS, RANKS, sort="PY", descending=False)) == [
        "D",
        "A",
        "C",
        "B",
    ]
    assert names(ranking.filter_and_sort(ROWS, RANKS, sort="grade"))[:2] == ["C", "A"]
    assert names(ranking.filter_and_sort(ROWS, RANKS, grade="none")) == ["B", "D"]
    assert names(ranking.filter_and_sort(ROWS, RANKS, grade="middle")) == ["C"]


def test_pick_keeps_order_and_caps_at_six() -> None:
    """Chosen ids in the order asked, unknown ids dropped, duplicates once."""
    assert [r.name for r in ranking.pick(ROWS, [3, 99, 1, 3])] == ["C", "A"]
    many = [row(i, str(i), None, 0.1, 0.1) for i in range(10)]
    assert len(ranking.pick(many, list(range(10)))) == ranking.MAX_COMPARED


def test_next_grade_gaps() -> None:
    """The grade above the recommended one and its gaps; the top grade has none."""
    assert ranking.next_grade_gaps(card("junior", 0.5, 0.5), RANKS) == ("middle", ["PY", "SQL"])
    assert ranking.next_grade_gaps(card(None, 0.1, 0.1), RANKS) == ("junior", ["PY"])
    top = card("senior", 0.9, 0.9)
    assert ranking.next_grade_gaps(top, RANKS) == ("", [])


def test_csv_lines_defuse_formulas() -> None:
    """Cells that a spreadsheet would run start with a quote; numbers are plain."""
    evil = row(5, "=cmd|' /C calc'!A0", None, 0.3, 0.3)
    text = "".join(ranking.csv_lines([evil], ["PY"], RANKS, {5: ["yes"]}))
    header, line = list(csv.reader(io.StringIO(text)))
    assert line[header.index("candidate")] == "'=cmd|' /C calc'!A0"
    assert line[header.index("PY_combined")] == "0.3000"
    assert line[header.index("interview_recommendations")] == "yes"


def test_run_changes() -> None:
    """Probe by probe, with new and removed probes, verdicts and scores."""
    before = {
        "verdict": "failed",
        "score": 0.5,
        "tests": [
            {"id": "a", "passed": True},
            {"id": "b", "passed": False},
            {"id": "gone", "passed": True},
            "junk",
        ],
    }
    after = {
        "verdict": "passed",
        "score": 1.0,
        "tests": [
            {"id": "a", "passed": True},
            {"id": "b", "passed": True},
            {"id": "new", "passed": True},
        ],
    }
    changes = run_changes(before, after)
    assert (changes.verdict_before, changes.verdict_after) == ("failed", "passed")
    assert [(p.id, p.before, p.after) for p in changes.changed] == [
        ("b", False, True),
        ("new", None, True),
        ("gone", True, None),
    ]
