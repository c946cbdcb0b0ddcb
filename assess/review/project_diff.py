"""A project submission as reviewers read it: the files it added, changed or deleted against
the task's starter project, each as a unified diff, and its Python as one listing for the
similarity check.

Every character of the candidate's files reaches the page through ``Markup.format``, which
escapes it. A submission that is not a workspace document (it cannot be parsed) gives no
changes, and the desk shows its raw text instead.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from markupsafe import Markup

from sandbox import workspace

CONTEXT_LINES = 3
MAX_DIFF_LINES = 2_000  # per file; the rest is counted, not shown
_LINE = Markup('<span class="diff-line diff-{}">{}</span>')


@dataclass(frozen=True)
class FileChange:
    """One file the submission differs in from the starter project."""

    path: str
    status: str  # "added" | "changed" | "deleted"
    lines: list[Markup]
    added: int
    removed: int
    hidden: int  # diff lines beyond MAX_DIFF_LINES, not shown


def files_of(document: str) -> dict[str, str] | None:
    """The files of a workspace document, or None when it is not one."""
    try:
        return workspace.parse(document)
    except workspace.WorkspaceError:
        return None


def _kind(line: str) -> str:
    if line.startswith("@@"):
        return "hunk"
    if line.startswith("+"):
        return "add"
    if line.startswith("-"):
        return "del"
    return "ctx"


def _change(path: str, before: str | None, after: str | None) -> FileChange:
    old = [] if before is None else before.splitlines()
    new = [] if after is None else after.splitlines()
    diff = list(difflib.unified_diff(old, new, lineterm="", n=CONTEXT_LINES))[2:]
    status = "added" if before is None else "deleted" if after is None else "changed"
    shown = diff[:MAX_DIFF_LINES]
    return FileChange(
        path=path,
        status=status,
        lines=[_LINE.format(_kind(line), line) for line in shown],
        added=sum(1 for line in diff if _kind(line) == "add"),
        removed=sum(1 for line in diff if _kind(line) == "del"),
        hidden=len(diff) - len(shown),
    )


def changes(starter: str, submitted: str) -> list[FileChange] | None:
    """The files ``submitted`` added, changed or deleted against ``starter`` (both workspace
    documents), by path; None when either is not a workspace document."""
    before, after = files_of(starter), files_of(submitted)
    if before is None or after is None:
        return None
    paths = sorted(set(before) | set(after))
    return [
        _change(path, before.get(path), after.get(path))
        for path in paths
        if before.get(path) != after.get(path)
    ]


def python_listing(document: str, starter: str) -> tuple[str, str] | None:
    """The submission's Python files that differ from the starter's, one after another under
    a ``# <path>`` line, and the starter's Python files the same way (what the similarity
    check removes as shared by everyone); None when either is not a workspace document."""
    mine, base = files_of(document), files_of(starter)
    if mine is None or base is None:
        return None

    def listing(files: dict[str, str], keep: set[str]) -> str:
        return "\n".join(f"# {path}\n{files[path]}" for path in sorted(keep))

    changed = {p for p, text in mine.items() if p.endswith(".py") and base.get(p) != text}
    return listing(mine, changed), listing(base, {p for p in base if p.endswith(".py")})
