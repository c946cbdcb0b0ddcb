"""How each task kind is shown in the app. ``sandbox.kinds`` says how a kind runs and is
judged; this says what staff call it and what the candidate's editor holds. Every kind the
sandbox registers must have its presentation here (a test holds the two registries equal)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from assess.bank.taskspec import task_from_json
from sandbox import kinds as sandbox_kinds
from sandbox.source import SourceRejectedError


@dataclass(frozen=True)
class KindView:
    """One kind's words and form: its name for staff, the label of the candidate's editor,
    and whether the candidate works in a tree of files (a workspace document) or one file."""

    name: str
    label: LazyString
    editor_label: LazyString
    workspace: bool = False


VIEWS: dict[str, KindView] = {
    view.name: view
    for view in (
        KindView("implement", _l("Implement"), _l("Your solution")),
        KindView("fix", _l("Fix a bug"), _l("Your solution")),
        KindView("write-tests", _l("Write tests"), _l("Your tests")),
        KindView("optimise", _l("Optimise"), _l("Your solution")),
        KindView("secure", _l("Secure the code"), _l("Your solution")),
        KindView("async", _l("Concurrency"), _l("Your solution")),
        KindView("project", _l("Project"), _l("Your project"), workspace=True),
    )
}


def names() -> tuple[str, ...]:
    """The kinds a task or blueprint may name: the sandbox's registry, in its order."""
    return sandbox_kinds.names()


def view(name: str) -> KindView:
    """The presentation of kind ``name`` (KeyError for a kind the sandbox does not run)."""
    sandbox_kinds.get(name)
    return VIEWS[name]


def workspace_problem(spec: dict[str, Any], code: str) -> str | None:
    """Why ``code`` cannot be saved for a workspace task (its stored sandbox ``spec``): a
    path outside the editable ones, ``..``, an absolute path, too many files or bytes, a
    binary file, or not a workspace at all; None when it can."""
    task = task_from_json(spec)
    try:
        task.kind_class.check_source(task, code.encode("utf-8"), len(code.encode("utf-8")))
    except SourceRejectedError as exc:
        return str(exc)
    return None


def editable_paths(spec: dict[str, Any]) -> list[str]:
    """The paths a workspace task lets the candidate change (none for single-file kinds)."""
    project = (spec.get("meta") or {}).get("project")
    return list(project.get("editable") or []) if isinstance(project, dict) else []
