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
        kinds = set(blueprint.task_kinds)
        wanted = len(kinds) if blueprint.task_count is None else blueprint.task_count
        present = sorted(kind for kind in kinds if tasks[(kind, blueprint.grade)])
        if len(present) < wanted:
            gaps.append(
                f"blueprint {blueprint.grade}: draws {wanted} task(s) of different kinds from"
                f" {', '.join(sorted(kinds))}, the bank has tasks of {len(present)} of them"
            )
    return gaps + unreachable_tasks(bank)


def unreachable_tasks(bank: Bank) -> list[str]:
    """A message per task that no default blueprint can ever draw (its grade's blueprint does
    not draw its kind): content that no candidate would see."""
    drawn = {
        (blueprint.grade, kind)
        for blueprint in bank.blueprints
        if blueprint.task_count != 0
        for kind in blueprint.task_kinds
    }
    return [
        f"task {task.slug}: no blueprint draws {task.kind} tasks of the {task.grade} grade"
        for task in bank.tasks
        if (task.grade, task.kind) not in drawn
    ]
