"""Whether the bank holds enough current content to fill each grade's default blueprint."""

from __future__ import annotations

from collections import Counter

from assess.bank.spec import Bank


def blueprint_gaps(bank: Bank) -> list[str]:
    """A message per blueprint demand that the bank cannot meet (with the figures)."""
    questions = Counter((q.competency, q.grade) for q in bank.questions)
    tasks = Counter((t.kind, t.grade) for t in bank.tasks)
    gaps: list[str] = []
    for blueprint in bank.blueprints:
        for code, wanted in blueprint.questions_per_competency.items():
            have = questions[(code, blueprint.grade)]
            if have < wanted:
                gaps.append(
                    f"blueprint {blueprint.grade}: wants {wanted} {code} question(s), "
                    f"the bank has {have}"
                )
        for kind, wanted in Counter(blueprint.task_kinds).items():
            have = tasks[(kind, blueprint.grade)]
            if have < wanted:
                gaps.append(
                    f"blueprint {blueprint.grade}: wants {wanted} {kind} task(s), "
                    f"the bank has {have}"
                )
    return gaps
