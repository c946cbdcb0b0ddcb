"""Score a candidate's response to a stored question: pure functions, one class per type.

Every scorer takes the stored ``body`` (what was shown), the stored ``answer`` and the
candidate's ``response`` and returns a score in ``0.0 .. 1.0``. A malformed or missing
response scores 0; nothing here raises on candidate input.

Rules (also in challenges/README.md):

- single: 1 when the chosen index is the answer.
- multiple: ``max(0, (right picks - wrong picks) / number of correct options)``; full marks
  only for exactly the correct set.
- exact: 1 when the trimmed response matches one accepted answer under the ``match`` mode
  (``text`` case-sensitive, ``casefold``, ``number`` compared as decimals).
- ordering: ``max(0, Kendall's tau)`` between the response and the correct order, i.e.
  (concordant pairs - discordant pairs) / all pairs, floored at 0: 1 for the right order,
  0 for a reversed or random-looking one; a response that is not a permutation scores 0.
- code-output: 1 when the texts are equal line by line, ignoring trailing spaces on each
  line, trailing blank lines and ``\\r\\n`` versus ``\\n``.
- bug-line: 1 when the chosen 1-based line is one of the accepted lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from assess.errors import BankError


def _as_int(value: Any) -> int | None:
    """An int from an int or a decimal string (as forms send it); never from a bool."""
    if type(value) is int:
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def parse_number(value: str) -> Decimal | None:
    """A finite decimal from text such as ``0.5``, ``.5``, ``1e3`` or ``1_000``; else None."""
    try:
        number = Decimal(value.strip().replace("_", ""))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def normalise_output(text: str) -> list[str]:
    """Lines of printed output with trailing spaces and trailing blank lines removed."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and lines[-1] == "":
        lines.pop()
    return lines


class Scorer:
    """Base of the per-type scorers."""

    type: ClassVar[str]

    def score(self, body: Mapping[str, Any], answer: Any, response: Any) -> float:
        """Score ``response`` in 0..1."""
        raise NotImplementedError


class SingleScorer(Scorer):
    """One correct option."""

    type = "single"

    def score(self, body: Mapping[str, Any], answer: Any, response: Any) -> float:
        """1 when the chosen index is the answer."""
        return 1.0 if _as_int(response) == answer else 0.0


class MultipleScorer(Scorer):
    """Several correct options, partial credit, each wrong pick cancels a right one."""

    type = "multiple"

    def score(self, body: Mapping[str, Any], answer: Any, response: Any) -> float:
        """``max(0, (right - wrong) / len(answer))`` over the distinct picks."""
        if not isinstance(response, list | tuple | set | frozenset):
            return 0.0
        picks = {_as_int(item) for item in response}
        correct = set(answer)
        right = len(picks & correct)
        wrong = len(picks - correct)
        return max(0.0, (right - wrong) / len(correct))


class ExactScorer(Scorer):
    """A short typed answer: a number or an identifier."""

    type = "exact"

    def score(self, body: Mapping[str, Any], answer: Any, response: Any) -> float:
        """1 when the response matches an accepted answer under the question's mode."""
        if not isinstance(response, str | int | float) or isinstance(response, bool):
            return 0.0
        given = str(response).strip()
        mode = body.get("match", "text")
        accepted = answer if isinstance(answer, list) else [answer]
        for value in accepted:
            if mode == "number":
                number = parse_number(given)
                if number is not None and number == parse_number(str(value)):
                    return 1.0
            elif mode == "casefold":
                if given.casefold() == str(value).strip().casefold():
                    return 1.0
            elif given == str(value).strip():
                return 1.0
        return 0.0


class OrderingScorer(Scorer):
    """Put items in order; partial credit by Kendall's tau, floored at 0."""

    type = "ordering"

    def score(self, body: Mapping[str, Any], answer: Any, response: Any) -> float:
        """``max(0, (concordant - discordant) / pairs)``; 0 unless a permutation."""
        if not isinstance(response, list | tuple):
            return 0.0
        given = list(response)
        if sorted(map(str, given)) != sorted(answer) or len(given) != len(answer):
            return 0.0
        position = {item: index for index, item in enumerate(given)}
        ranks = [position[item] for item in answer]
        n = len(ranks)
        pairs = n * (n - 1) // 2
        concordant = sum(1 for i in range(n) for j in range(i + 1, n) if ranks[i] < ranks[j])
        return max(0.0, (2 * concordant - pairs) / pairs)


class CodeOutputScorer(Scorer):
    """What a snippet prints, compared line by line."""

    type = "code-output"

    def score(self, body: Mapping[str, Any], answer: Any, response: Any) -> float:
        """1 when the outputs agree ignoring trailing spaces and trailing blank lines."""
        if not isinstance(response, str):
            return 0.0
        return 1.0 if normalise_output(response) == normalise_output(answer) else 0.0


class BugLineScorer(Scorer):
    """Which line of the snippet holds the bug."""

    type = "bug-line"

    def score(self, body: Mapping[str, Any], answer: Any, response: Any) -> float:
        """1 when the chosen line is one of the accepted lines."""
        accepted = answer if isinstance(answer, list) else [answer]
        return 1.0 if _as_int(response) in accepted else 0.0


SCORERS: dict[str, Scorer] = {
    cls.type: cls()
    for cls in (
        SingleScorer,
        MultipleScorer,
        ExactScorer,
        OrderingScorer,
        CodeOutputScorer,
        BugLineScorer,
    )
}


def score_response(qtype: str, body: Mapping[str, Any], answer: Any, response: Any) -> float:
    """Score ``response`` to a stored question of type ``qtype`` in 0..1."""
    try:
        scorer = SCORERS[qtype]
    except KeyError:
        raise BankError(f"unknown question type {qtype!r}") from None
    if response is None:
        return 0.0
    return scorer.score(body, answer, response)
