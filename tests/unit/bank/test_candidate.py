"""What a candidate sees never holds the answer or the explanation."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from assess.bank.candidate import candidate_view, candidate_view_of, shuffled_items
from assess.bank.reader import read_bank
from assess.bank.spec import QuestionSpec
from tests.unit.bank.bankfiles import REAL_BANK, make_bank


def leaks(view: dict[str, object], question: QuestionSpec) -> list[str]:
    """Ways in which ``view`` gives the answer away."""
    text = json.dumps(view, ensure_ascii=False)
    found = []
    if "explanation" in view or "answer" in view or question.explanation.strip() in text:
        found.append("explanation or answer key")
    if question.type == "ordering" and view["items"] == question.answer:
        found.append("ordering shown solved")
    if question.type in ("code-output", "exact"):
        answers = question.answer if isinstance(question.answer, list) else [question.answer]
        found += [f"answer {a!r}" for a in answers if len(a.strip()) > 3 and f'"{a}"' in text]
    return found


def test_sample_views(tmp_path: Path) -> None:
    """Each type shows what the page needs, from an allow-list."""
    bank = read_bank(make_bank(tmp_path), tasks=False)
    views = {q.id: candidate_view_of(q, seed=7) for q in bank.questions}
    assert set(views["py-j-001"]) == {"id", "grade", "type", "input", "prompt", "options"}
    assert views["py-j-002"]["hint"] == "Select all that apply."
    assert views["py-m-001"]["input"] == "number"
    assert sorted(views["py-m-002"]["items"]) == ["a", "b", "c"]
    assert views["py-s-002"]["lines"] == 3
    assert views["py-s-001"]["language"] == "python"
    for q in bank.questions:
        assert leaks(views[q.id], q) == []


def test_real_bank_views_never_leak() -> None:
    """No question of the shipped bank leaks its answer, for several seeds."""
    bank = read_bank(REAL_BANK, tasks=False)
    assert bank.questions
    for q in bank.questions:
        for seed in (None, 1, 2, 3):
            assert leaks(candidate_view_of(q, seed=seed), q) == [], q.id


def test_stored_body_never_holds_the_order() -> None:
    """An ordering question's stored body is scrambled, so even the body does not solve it."""
    bank = read_bank(REAL_BANK, tasks=False)
    for q in bank.questions:
        if q.type == "ordering":
            assert q.body()["items"] != q.answer
            assert sorted(q.body()["items"]) == sorted(q.answer)
            assert candidate_view("ordering", q.body(), answer=q.answer)["items"] != q.answer


@given(
    items=st.lists(st.text(min_size=1), min_size=2, max_size=7, unique=True),
    seed=st.integers(),
)
def test_shuffle_never_shows_the_solution(items: list[str], seed: int) -> None:
    """A seeded shuffle is a permutation that is never the solved order."""
    shown = shuffled_items(items, seed, avoid=items)
    assert sorted(shown) == sorted(items)
    assert shown != items
    assert shown == shuffled_items(items, seed, avoid=items)


def test_view_without_seed_of_a_solved_body() -> None:
    """Even a body stored in solved order is not shown solved."""
    body = {"prompt": "Order", "items": ["a", "b", "c"]}
    view = candidate_view("ordering", body, answer=["a", "b", "c"])
    assert view["items"] != ["a", "b", "c"]
