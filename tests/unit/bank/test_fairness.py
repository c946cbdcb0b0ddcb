"""The wording checks: rules a candidate could follow without knowing anything."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from assess.bank import fairness
from assess.bank.spec import QuestionSpec


def single(options: list[str], answer: int, source: str = "q/A.yaml:1") -> QuestionSpec:
    """A single-choice question with these options."""
    return QuestionSpec(
        id="x",
        competency="PY",
        grade="junior",
        type="single",
        weights={"PY": 1.0},
        prompt="?",
        explanation="",
        answer=answer,
        options=options,
        source=source,
    )


def test_longest_key_is_a_tell() -> None:
    """Keys always the longest: the rule scores 100% where guessing scores 25%."""
    questions = [single(["a", "b", "c", "the long and careful key"], 3) for _ in range(30)]
    figures = fairness.measure(questions)
    assert figures is not None
    assert figures.guessing == 0.25 and figures.longest == 1.0
    assert figures.longest_edge == 0.75
    assert any("longest option" in p for p in figures.problems())


def test_self_justifying_distractors_are_a_tell() -> None:
    """Distractors with "because"/"so": avoiding them finds the key."""
    options = [
        "Yes, because it is cached",
        "No, so it fails",
        "It is copied",
        "It is shared, since x",
    ]
    few = fairness.measure([single(options, 2)])
    assert few is not None and few.unjustified == 1.0
    assert few.problems() == []  # one question is no evidence either way
    figures = fairness.measure([single(options, 2)] * fairness.MIN_QUESTIONS)
    assert figures is not None
    assert any("justify themselves" in p for p in figures.problems())


def test_balanced_questions_pass_and_ties_split() -> None:
    """Equal lengths split the longest rule evenly; no justification words: guessing rate."""
    questions = [single(["aaa", "bbb", "ccc", "ddd"], i % 4) for i in range(40)]
    figures = fairness.measure(questions)
    assert figures is not None
    assert figures.longest == figures.guessing == figures.unjustified == 0.25
    assert figures.problems() == []
    assert "allowed edge 5%" in figures.line()


def test_multiple_counts_a_pick_among_the_keys_and_files_are_separate() -> None:
    """A multiple question with two keys of four: guessing 50%; per file figures."""
    multiple = QuestionSpec(
        id="m",
        competency="PY",
        grade="junior",
        type="multiple",
        weights={"PY": 1.0},
        prompt="?",
        explanation="",
        answer=[0, 1],
        options=["long key one", "k2", "d3", "d4"],
        source="q/B.yaml:9",
    )
    files = fairness.by_file([multiple, single(["a", "b", "c"], 0)])
    assert set(files) == {"q/A.yaml", "q/B.yaml"}
    assert files["q/B.yaml"].guessing == 0.5 and files["q/B.yaml"].longest == 1.0
    assert fairness.measure([]) is None


def test_the_shipped_bank_stays_under_the_threshold() -> None:
    """challenges/: neither rule beats guessing by more than the allowed edge."""
    from assess.bank.reader import read_bank

    figures = fairness.measure(read_bank(Path(__file__).parents[3] / "challenges").questions)
    assert figures is not None
    assert figures.problems() == [], figures.line()


def _with_russian(question: QuestionSpec, options: list[str]) -> QuestionSpec:
    """``question`` with Russian options."""
    return dataclasses.replace(question, ru={"prompt": "?", "explanation": "", "options": options})


def test_russian_options_are_measured_with_russian_cue_words() -> None:
    """Balanced English but a Russian key that is longest and distractors that say
    "потому что": both tells show in the Russian figures only."""
    english = ["alpha", "bravo", "delta", "gamma"]
    russian = ["а, потому что так", "б, поэтому да", "в, так как нет", "правильный длинный ответ"]
    questions = [_with_russian(single(english, 3), russian) for _ in range(30)]
    en = fairness.measure(questions)
    ru = fairness.measure(questions, "ru")
    assert en is not None and ru is not None
    assert en.problems() == []
    assert ru.longest == 1.0 and ru.unjustified == 1.0
    assert len(ru.problems()) == 2


def test_untranslated_questions_are_left_out_of_the_russian_figures() -> None:
    """Only questions with Russian options count in Russian."""
    questions = [single(["a", "b"], 0) for _ in range(3)]
    assert fairness.measure(questions, "ru") is None
