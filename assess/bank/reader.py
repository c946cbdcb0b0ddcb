"""Read the whole bank from ``challenges/`` into a :class:`Bank`, with every issue found."""

from __future__ import annotations

from pathlib import Path

from assess.bank.catalog import parse_blueprints, parse_competencies, parse_grades
from assess.bank.interview import parse_interview_file
from assess.bank.questions import parse_question_file
from assess.bank.source import BankIssue, SourceFile
from assess.bank.spec import Bank, InterviewSpec, QuestionSpec
from assess.bank.tasks import parse_task, task_folders


def _source(root: Path, path: Path) -> SourceFile:
    """A source file named relative to the parent of the bank root (``challenges/...``)."""
    try:
        display = path.relative_to(root.parent).as_posix()
    except ValueError:
        display = path.as_posix()
    return SourceFile(path, display)


def read_bank(root: Path | str, tasks: bool = True) -> Bank:
    """Parse and validate everything under ``root``; never raises on bad content.

    ``tasks=False`` skips the coding tasks (useful when only quiz content matters).
    """
    root = Path(root).resolve()
    bank = Bank(root=root)
    f = _catalog(root, "competencies.yaml")
    bank.competencies = parse_competencies(f)
    bank.issues.extend(f.issues)
    f = _catalog(root, "grades.yaml")
    bank.grades = parse_grades(f)
    bank.issues.extend(f.issues)
    f = _catalog(root, "blueprints.yaml")
    bank.blueprints = parse_blueprints(f)
    bank.issues.extend(f.issues)
    for path in sorted((root / "questions").glob("*.yaml")):
        f = _source(root, path)
        bank.questions.extend(parse_question_file(f, path.stem))
        bank.issues.extend(f.issues)
    for path in sorted((root / "interview").glob("*.yaml")):
        f = _source(root, path)
        bank.interview.extend(parse_interview_file(f, path.stem))
        bank.issues.extend(f.issues)
    if tasks:
        for folder in task_folders(root):
            entry, issues = parse_task(root, folder)
            bank.issues.extend(issues)
            if entry is not None:
                bank.tasks.append(entry)
    bank.issues.extend(_duplicates(bank))
    bank.issues.extend(_other_extensions(root))
    return bank


def _catalog(root: Path, name: str) -> SourceFile:
    """A catalog file (a missing one already carries its issue)."""
    f = _source(root, root / name)
    if not f.path.is_file():
        f.error(1, f"missing {name}")
    return f


def _duplicates(bank: Bank) -> list[BankIssue]:
    """Ids used twice anywhere in the bank (questions and interview share one namespace)."""
    issues: list[BankIssue] = []
    seen: dict[str, str] = {}
    items: list[QuestionSpec | InterviewSpec] = [*bank.questions, *bank.interview]
    for item in items:
        if item.id in seen:
            file, _, line = item.source.rpartition(":")
            issues.append(
                BankIssue(file, int(line), f"duplicate id {item.id} (first at {seen[item.id]})")
            )
        else:
            seen[item.id] = item.source
    return issues


def _other_extensions(root: Path) -> list[BankIssue]:
    """Files in questions/ or interview/ that would be silently ignored (e.g. ``.yml``)."""
    issues = []
    for folder in ("questions", "interview"):
        for path in sorted((root / folder).glob("*")):
            if path.is_file() and path.suffix != ".yaml" and not path.name.startswith("."):
                display = _source(root, path).display
                issues.append(BankIssue(display, 1, "ignored file: bank files end in .yaml"))
    return issues
