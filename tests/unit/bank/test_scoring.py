"""Scorers: every score is in 0..1 and full marks need exactly the right answer."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.bank.scoring import SCORERS, normalise_output, parse_number, score_response
from assess.bank.spec import QUESTION_TYPES
from assess.errors import BankError

OPTIONS = {"options": ["a", "b", "c", "d", "e", "f"]}


def test_registry_covers_every_type() -> None:
    """There is exactly one scorer per question type."""
    assert set(SCORERS) == set(QUESTION_TYPES)
    with pytest.raises(BankError):
        score_response("essay", {}, None, "x")


@pytest.mark.parametrize("qtype", QUESTION_TYPES)
@pytest.mark.parametrize("response", [None, {"x": 1}, object(), True, 3.5j])
def test_malformed_responses_score_zero(qtype: str, response: Any) -> None:
    """Nonsense input never raises and never scores."""
    answers = {
        "single": 1,
        "multiple": [0, 2],
        "exact": ["1"],
        "ordering": ["a", "b", "c"],
        "code-output": "1\n",
        "bug-line": [1],
    }
    assert score_response(qtype, {"match": "number", **OPTIONS}, answers[qtype], response) == 0.0


def test_single() -> None:
    """The chosen index, as an int or a form string, must be the answer; bools are refused."""
    assert score_response("single", OPTIONS, 2, 2) == 1.0
    assert score_response("single", OPTIONS, 2, "2") == 1.0
    assert score_response("single", OPTIONS, 1, True) == 0.0
    assert score_response("single", OPTIONS, 2, 1) == 0.0


@given(
    answer=st.sets(st.integers(0, 5), min_size=1, max_size=5),
    picks=st.lists(st.integers(-1, 7), max_size=8),
)
def test_multiple_in_range_and_full_only_for_exact_set(answer: set[int], picks: list[int]) -> None:
    """Score in 0..1; 1 only for exactly the correct set; the documented formula holds."""
    score = score_response("multiple", OPTIONS, sorted(answer), picks)
    assert 0.0 <= score <= 1.0
    assert (score == 1.0) == (set(picks) == answer)
    right, wrong = len(set(picks) & answer), len(set(picks) - answer)
    assert score == pytest.approx(max(0.0, (right - wrong) / len(answer)))


def test_multiple_examples() -> None:
    """Partial credit, and a wrong pick cancels a right one."""
    assert score_response("multiple", OPTIONS, [0, 2], [0]) == 0.5
    assert score_response("multiple", OPTIONS, [0, 2], [0, 1]) == 0.0
    assert score_response("multiple", OPTIONS, [0, 1, 2], ["0", "1", "3"]) == pytest.approx(1 / 3)
    assert score_response("multiple", OPTIONS, [0, 2], [0, 2, 0]) == 1.0


@pytest.mark.parametrize(
    ("mode", "answer", "given", "expected"),
    [
        ("text", ["Counter"], " Counter ", 1.0),
        ("text", ["Counter"], "counter", 0.0),
        ("casefold", ["GET"], "get", 1.0),
        ("casefold", ["Straße"], "STRASSE", 1.0),
        ("number", ["0.5"], ".5", 1.0),
        ("number", ["0.5"], "0.50", 1.0),
        ("number", ["1000"], "1e3", 1.0),
        ("number", ["1000"], "1_000", 1.0),
        ("number", ["3"], 3, 1.0),
        ("number", ["0.5"], "0.6", 0.0),
        ("number", ["0.5"], "half", 0.0),
        ("number", ["1"], "nan", 0.0),
        ("text", ["201", "201 Created"], "201 Created", 1.0),
    ],
)
def test_exact(mode: str, answer: list[str], given: Any, expected: float) -> None:
    """Each match mode compares as documented."""
    assert score_response("exact", {"match": mode}, answer, given) == expected


def test_parse_number() -> None:
    """Decimal parsing accepts the usual spellings and refuses the rest."""
    assert parse_number(".5") == parse_number("0.50")
    assert parse_number("inf") is None
    assert parse_number("") is None


@given(st.permutations(["a", "b", "c", "d", "e"]))
def test_ordering_in_range_full_only_when_right(order: list[str]) -> None:
    """Kendall-tau score in 0..1; 1 exactly for the correct order."""
    answer = ["a", "b", "c", "d", "e"]
    score = score_response("ordering", {}, answer, order)
    assert 0.0 <= score <= 1.0
    assert (score == 1.0) == (order == answer)


def test_ordering_examples() -> None:
    """One adjacent swap of four keeps most credit; reversed scores 0; not a permutation 0."""
    answer = ["a", "b", "c", "d"]
    assert score_response("ordering", {}, answer, ["b", "a", "c", "d"]) == pytest.approx(4 / 6)
    assert score_response("ordering", {}, answer, ["d", "c", "b", "a"]) == 0.0
    assert score_response("ordering", {}, answer, ["a", "b", "c"]) == 0.0
    assert score_response("ordering", {}, answer, ["a", "a", "c", "d"]) == 0.0
    assert score_response("ordering", {}, answer, ("a", "b", "c", "d")) == 1.0


def test_ordering_every_permutation_of_three() -> None:
    """All 6 orders of three items score one of 1, 1/3 or 0."""
    answer = ["x", "y", "z"]
    scores = sorted(
        round(score_response("ordering", {}, answer, list(p)), 4)
        for p in itertools.permutations(answer)
    )
    assert scores == [0.0, 0.0, 0.0, 0.3333, 0.3333, 1.0]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("[1, 2]\nok\n", 1.0),
        ("[1, 2]   \r\nok", 1.0),
        ("[1, 2]\nok\n\n\n", 1.0),
        ("[1,2]\nok\n", 0.0),
        ("  [1, 2]\nok\n", 0.0),
        ("[1, 2]\n\nok\n", 0.0),
    ],
)
def test_code_output(given: str, expected: float) -> None:
    """Line by line, trailing spaces and trailing blank lines ignored, nothing else."""
    assert score_response("code-output", {}, "[1, 2]\nok\n", given) == expected


@given(st.text())
def test_code_output_matches_itself(text: str) -> None:
    """Any text matches itself, with or without extra trailing whitespace."""
    assert score_response("code-output", {}, text, text + "  \n") == 1.0
    assert normalise_output(text) == normalise_output(text.replace("\n", "\r\n"))


def test_bug_line() -> None:
    """The chosen line must be one of the accepted ones."""
    assert score_response("bug-line", {}, [3, 4], 4) == 1.0
    assert score_response("bug-line", {}, [3, 4], "3") == 1.0
    assert score_response("bug-line", {}, [3], 2) == 0.0
    assert score_response("bug-line", {}, 3, 3) == 1.0
