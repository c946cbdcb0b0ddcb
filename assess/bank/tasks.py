"""Validate ``challenges/tasks/<slug>/`` folders and describe them for the database.

The folder layout and ``task.yaml`` are checked here with located messages; the sandbox's
own loader (``sandbox.taskdir.load_task``) then reads the folder and gives the content hash
and the task spec that grading needs.
"""

from __future__ import annotations

import re
from pathlib import Path

from assess.bank import fields
from assess.bank.hashing import content_hash
from assess.bank.source import BankIssue, SourceFile, SourceMap
from assess.bank.spec import COMPETENCY_CODES, GRADES, TASK_KINDS, TaskEntry
from assess.bank.taskspec import SandboxTaskError, describe_task
from sandbox import kinds as sandbox_kinds

CORRECT_SOLUTIONS = 2
KEYS = (
    "slug",
    "title",
    "grade",
    "kind",
    "competencies",
    "module",
    "limits",
    "time_minutes",
    "project",  # a project task's editable paths, tests and services (the sandbox checks it)
)
REQUIRED = ("slug", "title", "grade", "kind", "competencies")
LIMITS: dict[str, tuple[float, float]] = {
    "wall_seconds": (1, 300),
    "memory_mb": (32, 4096),
    "cpu_budget_factor": (1.0, 100.0),
}
# Limits that only some kinds accept (each kind lists its own in ``options``).
KIND_OPTIONS = frozenset(key for kind in sandbox_kinds.REGISTRY.values() for key in kind.options)
FILES = ("statement.md", "statement.ru.md")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MODULE = re.compile(r"[a-z_][a-z0-9_]*")


def _display(root: Path, path: Path) -> str:
    """How messages name ``path``: relative to the parent of the bank root."""
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return path.as_posix()


def _limits(f: SourceFile, m: SourceMap, kind: str | None) -> dict[str, float] | None:
    """The optional ``limits`` overrides, each within its range."""
    raw = m.get("limits")
    if raw is None:
        return {}
    if not fields.is_map(raw):
        f.error(m.line_of("limits"), "task: limits must be a mapping")
        return None
    fields.check_keys(f, raw, "task limits", LIMITS, ())
    result: dict[str, float] = {}
    for key, (low, high) in LIMITS.items():
        if key in raw:
            value = fields.number(f, raw, key, "task limits", low, high)
            if value is None:
                return None
            result[key] = int(value) if key != "cpu_budget_factor" else value
    options = sandbox_kinds.get(kind).options if kind in sandbox_kinds.REGISTRY else frozenset()
    refused = sorted(set(result) & KIND_OPTIONS - options)
    if refused:
        key = refused[0]
        f.error(raw.line_of(key), f"task: {key} is not a limit of {kind or 'this'} tasks")
        return None
    return result if set(raw) <= set(LIMITS) else None


def _check_python(root: Path, path: Path, issues: list[BankIssue]) -> None:
    """Report a syntax error in ``path`` at its line."""
    try:
        compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)
    except SyntaxError as exc:
        issues.append(BankIssue(_display(root, path), exc.lineno or 1, f"{exc.msg}"))
    except (UnicodeDecodeError, ValueError) as exc:
        issues.append(BankIssue(_display(root, path), 1, f"unreadable: {exc}"))


def _check_files(root: Path, folder: Path, kind: str | None) -> list[BankIssue]:
    """The files every task needs, plus those of its kind; Python must compile."""
    issues: list[BankIssue] = []
    yaml_name = _display(root, folder / "task.yaml")
    task_kind = sandbox_kinds.get(kind) if kind in sandbox_kinds.REGISTRY else None
    needed = [*FILES, *(task_kind.files if task_kind else ())]
    for name in needed:
        path = folder / name
        if not path.is_file():
            issues.append(BankIssue(yaml_name, 1, f"task: missing file {name}"))
        elif name.endswith(".py"):
            _check_python(root, path, issues)
    for name in task_kind.trees if task_kind else ():
        if not (folder / name).is_dir():
            issues.append(BankIssue(yaml_name, 1, f"task: missing folder {name}/"))
        for path in sorted((folder / name).rglob("*.py")):
            _check_python(root, path, issues)
    # correct/: solutions written from the statement alone, in different styles, that must
    # each earn full marks (the proof that hidden checks test only what the statement says);
    # a kind may need more folders (write-tests: buggy/ implementations to catch, and hidden
    # correct variants/ a test file must also pass).
    groups = ["faulty", "correct", *(task_kind.folders if task_kind else ())]
    for group in groups:
        found = task_kind.variants_in(folder / group) if task_kind else []
        if group == "correct" and len(found) < CORRECT_SOLUTIONS:
            message = (
                f"task: correct/ needs at least {CORRECT_SOLUTIONS} independently written"
                f" solutions ({task_kind.variant_form if task_kind else '.py'}), has {len(found)}"
            )
            issues.append(BankIssue(yaml_name, 1, message))
        elif not found:
            form = task_kind.variant_form if task_kind else ".py"
            issues.append(BankIssue(yaml_name, 1, f"task: {group}/ needs at least one {form}"))
        for path in found:
            for script in [path] if path.is_file() else sorted(path.rglob("*.py")):
                _check_python(root, script, issues)
    return issues


def parse_task(root: Path, folder: Path) -> tuple[TaskEntry | None, list[BankIssue]]:
    """Validate one task folder and describe it; issues are located in its files."""
    f = SourceFile(folder / "task.yaml", _display(root, folder / "task.yaml"))
    if not f.path.is_file():
        f.error(1, "task: missing task.yaml")
        return None, f.issues
    doc = f.read()
    if doc is None:
        return None, f.issues
    if not fields.is_map(doc):
        f.error(1, "task: task.yaml must be a mapping")
        return None, f.issues
    fields.check_keys(f, doc, "task", KEYS, REQUIRED)
    slug = doc.get("slug")
    if (
        not isinstance(slug, str)
        or slug != folder.name
        or not SLUG.fullmatch(slug)
        or len(slug) > 80
    ):
        f.error(
            doc.line_of("slug"),
            f"task: slug {slug!r} must equal the folder name, in kebab-case, at most 80 characters",
        )
    title = fields.text(f, doc, "title", "task", required=False, max_len=200)
    grade = fields.choice(f, doc, "grade", "task", GRADES, required=False)
    kind = fields.choice(f, doc, "kind", "task", TASK_KINDS, required=False)
    weights = (
        fields.weights(f, doc, "competencies", "task", COMPETENCY_CODES, None)
        if "competencies" in doc
        else None
    )
    module = doc.get("module", "solution")
    if not isinstance(module, str) or not MODULE.fullmatch(module):
        f.error(doc.line_of("module"), f"task: module {module!r} must be a Python module name")
    minutes = fields.integer(f, doc, "time_minutes", "task", 5, 180, required=False)
    limits = _limits(f, doc, kind)
    issues = f.issues + _check_files(root, folder, kind)
    if issues or None in (title, grade, kind, weights, limits):
        return None, issues
    statement = _read(folder / "statement.md")
    statement_ru, title_ru, ru_issues = read_statement_ru(folder, _display(root, folder))
    if ru_issues:
        return None, ru_issues
    try:
        task, spec = describe_task(folder, _display(root, folder))
    except SandboxTaskError as exc:
        return None, [BankIssue(exc.file, exc.line, f"task: {exc.message}")]
    assert title
    assert grade
    assert kind
    assert weights is not None
    assert limits is not None
    entry = TaskEntry(
        slug=folder.name,
        title=title,
        grade=grade,
        kind=kind,
        weights=weights,
        module=str(module),
        limits=limits,
        time_minutes=minutes or 20,
        statement_md=statement,
        statement_ru_md=statement_ru,
        title_ru=title_ru,
        starter_code=task.starter,
        visible_tests=task.visible_tests,
        path=folder,
        content_hash=task_hash(task.content_hash, statement, statement_ru),
        sandbox_hash=task.content_hash,
        spec=spec,
        source=f.display,
    )
    return entry, []


def task_hash(sandbox_hash: str, statement: str, statement_ru: str = "") -> str:
    """The version hash of a task: the sandbox's hash (task.yaml and every Python file)
    combined with the statements, which the sandbox does not read but candidates do."""
    content = {"sandbox": sandbox_hash, "statement": statement}
    if statement_ru:
        content["statement_ru"] = statement_ru
    return content_hash(content)


def read_statement_ru(folder: Path, display: str) -> tuple[str, str, list[BankIssue]]:
    """``statement.ru.md``: its text and the title of its first ``# `` heading, or the issue
    (named by file and line) that keeps it from being shown."""
    name = f"{display}/statement.ru.md"
    text = _read(folder / "statement.ru.md")
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("# ") and line[2:].strip():
            title = line[2:].strip()
            if len(title) > 200:
                return "", "", [BankIssue(name, number, "task: title longer than 200 characters")]
            return text, title, []
    return "", "", [BankIssue(name, 1, "task: statement.ru.md needs a '# ' title heading")]


def _read(path: Path) -> str:
    """A text file of the task."""
    return path.read_text(encoding="utf-8")


def task_folders(root: Path) -> list[Path]:
    """Every task folder under ``root/tasks`` (any directory not starting with a dot)."""
    base = root / "tasks"
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
