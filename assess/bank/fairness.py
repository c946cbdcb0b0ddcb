"""Test-wiseness checks: can a candidate who knows nothing beat guessing by the wording alone?

Two rules that item writers fall into are measured over the choice questions (``single`` and
``multiple``) and compared with blind guessing on the same questions:

- *longest*: pick the longest option (keys written with every qualification, distractors
  short);
- *no justification*: pick among the options that do not justify themselves ("because",
  "since", "so", "which means"...), since distractors that argue for themselves are a tell.

A rule's rate is its expected score per question (ties split evenly, a ``multiple`` question
counting a hit when the pick is one of its keys); its *edge* is the rate minus the guessing
rate. ``flask bank check`` fails when either edge exceeds :data:`MAX_EDGE` over a bank of at
least :data:`MIN_QUESTIONS` choice questions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assess.bank.spec import CHOICE_TYPES, QuestionSpec

MAX_EDGE = 0.05
# Below this many choice questions the rates are noise (one question moves them by 3+ points):
# the figures are reported but no verdict is given.
MIN_QUESTIONS = 30
JUSTIFICATION = re.compile(
    r"\b(because|since|so that|so|therefore|thus|hence|which means|as a result)\b", re.IGNORECASE
)
# The same cue words in Russian, for the translated options.
JUSTIFICATION_RU = re.compile(
    r"(?<!\w)(потому что|так как|поэтому|поскольку|следовательно|значит|так что|из-за|ибо)(?!\w)",
    re.IGNORECASE,
)
CUES = {"en": JUSTIFICATION, "ru": JUSTIFICATION_RU}

Rule = Callable[[list[str]], list[int]]


def _longest(options: list[str]) -> list[int]:
    """The indices of the longest options."""
    top = max(len(option) for option in options)
    return [i for i, option in enumerate(options) if len(option) == top]


def _unjustified(options: list[str], cue: re.Pattern[str] = JUSTIFICATION) -> list[int]:
    """The options without a justification word (all of them when every one has one)."""
    plain = [i for i, option in enumerate(options) if not cue.search(option)]
    return plain or list(range(len(options)))


def _options(question: QuestionSpec, language: str) -> list[str] | None:
    """The options of ``question`` in ``language`` (None when it has none there)."""
    if language == "en":
        return question.options
    return (question.ru or {}).get("options")


def _keys(question: QuestionSpec) -> set[int]:
    """The keyed option indices."""
    return {question.answer} if question.type == "single" else set(question.answer)


def _rate(questions: list[QuestionSpec], rule: Rule, language: str = "en") -> float:
    """The expected score of picking uniformly among what ``rule`` selects."""
    total = 0.0
    for question in questions:
        picks = rule(_options(question, language) or [])
        total += sum(1 for i in picks if i in _keys(question)) / len(picks)
    return total / len(questions)


@dataclass(frozen=True)
class Fairness:
    """The rates of one set of choice questions."""

    questions: int
    guessing: float
    longest: float
    unjustified: float

    @property
    def longest_edge(self) -> float:
        """How far "pick the longest" beats guessing."""
        return self.longest - self.guessing

    @property
    def unjustified_edge(self) -> float:
        """How far "avoid the option that justifies itself" beats guessing."""
        return self.unjustified - self.guessing

    def line(self) -> str:
        """The figures, for the command output."""
        return (
            f"{self.questions} choice questions: guessing {self.guessing:.1%}, "
            f"longest option {self.longest:.1%} ({self.longest_edge:+.1%}), "
            f"option without a justification {self.unjustified:.1%} "
            f"({self.unjustified_edge:+.1%}); allowed edge {MAX_EDGE:.0%}"
        )

    def problems(self) -> list[str]:
        """A message per rule that beats guessing by more than MAX_EDGE (none below
        MIN_QUESTIONS questions)."""
        found: list[str] = []
        if self.questions < MIN_QUESTIONS:
            return found
        if self.longest_edge > MAX_EDGE:
            found.append(
                f"picking the longest option scores {self.longest:.1%} where guessing scores "
                f"{self.guessing:.1%}: balance option lengths"
            )
        if self.unjustified_edge > MAX_EDGE:
            found.append(
                f"avoiding options that justify themselves scores {self.unjustified:.1%} where"
                f" guessing scores {self.guessing:.1%}: balance the wording"
            )
        return found


def measure(questions: Iterable[QuestionSpec], language: str = "en") -> Fairness | None:
    """The rates over the choice questions among ``questions`` whose options exist in
    ``language`` ("en" or "ru"; None when there are none)."""
    choice = [q for q in questions if q.type in CHOICE_TYPES and _options(q, language)]
    if not choice:
        return None
    cue = CUES[language]
    guessing = sum(len(_keys(q)) / len(q.options or [1]) for q in choice) / len(choice)
    longest = _rate(choice, _longest, language)
    unjustified = _rate(choice, lambda options: _unjustified(options, cue), language)
    return Fairness(len(choice), guessing, longest, unjustified)


def by_file(questions: Iterable[QuestionSpec], language: str = "en") -> dict[str, Fairness]:
    """The rates per question file (for the writers who balance them)."""
    groups: dict[str, list[QuestionSpec]] = {}
    for question in questions:
        groups.setdefault(question.source.split(":")[0], []).append(question)
    measured = {name: measure(group, language) for name, group in sorted(groups.items())}
    return {name: fairness for name, fairness in measured.items() if fairness is not None}
