"""What a candidate may see of a stored question: never the answer or the explanation.

The view is built from an allow-list of fields, so a field added to the stored body later
stays hidden until it is added here on purpose.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from assess.bank.spec import CHOICE_TYPES, QuestionSpec

INPUTS: dict[str, str] = {
    "single": "choose-one",
    "multiple": "choose-many",
    "exact": "text",
    "ordering": "order",
    "code-output": "multiline-text",
    "bug-line": "line-number",
}


def shuffled_items(
    items: Sequence[str], seed: int | str, avoid: Sequence[str] | None = None
) -> list[str]:
    """``items`` in an order fixed by ``seed``, never equal to ``avoid`` (the solved order)."""
    order = list(items)
    random.Random(str(seed)).shuffle(order)
    if avoid is not None and order == list(avoid) and len(order) > 1:
        order = order[1:] + order[:1]
    return order


def candidate_view(
    qtype: str,
    body: Mapping[str, Any],
    *,
    seed: int | str | None = None,
    answer: Any = None,
) -> dict[str, Any]:
    """The fields a candidate's page may show for a question of type ``qtype``.

    ``seed`` (e.g. the attempt's seed) reshuffles ordering items per candidate; ``answer``
    is read only to make sure the shuffled order is not already the solved one and is never
    part of the result.
    """
    view: dict[str, Any] = {"type": qtype, "input": INPUTS[qtype], "prompt": body["prompt"]}
    if "code" in body:
        view["code"] = body["code"]
        view["language"] = body.get("language", "python")
    if qtype in CHOICE_TYPES:
        view["options"] = list(body["options"])
    if qtype == "multiple":
        view["hint"] = "Select all that apply."
    if qtype == "ordering":
        items = list(body["items"])
        avoid = answer if isinstance(answer, list) else None
        if seed is not None:
            items = shuffled_items(items, seed, avoid)
        elif avoid is not None and items == avoid:
            items = items[1:] + items[:1]
        view["items"] = items
    if qtype == "exact" and body.get("match") == "number":
        view["input"] = "number"
    if qtype == "bug-line" and "code" in body:
        view["lines"] = len(str(body["code"]).rstrip("\n").split("\n"))
    return view


def candidate_view_of(question: QuestionSpec, seed: int | str | None = None) -> dict[str, Any]:
    """:func:`candidate_view` of a parsed question, with its id."""
    view = candidate_view(question.type, question.body(), seed=seed, answer=question.answer)
    return {"id": question.id, "grade": question.grade, **view}
