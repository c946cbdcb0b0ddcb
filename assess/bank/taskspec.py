"""The bank's view of the sandbox's task folders: load one, and turn its ``TaskSpec`` into
JSON for the ``spec`` column and back. Only ``sandbox.taskdir`` is needed (no Docker)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sandbox.config import Limits
from sandbox.errors import TaskFormatError
from sandbox.taskdir import TaskSpec, load_task


class SandboxTaskError(Exception):
    """The sandbox refused a task folder; ``file`` and ``line`` say where."""

    def __init__(self, file: str, line: int, message: str) -> None:
        """Remember the location."""
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


SPEC_FORMAT = 1


def task_to_json(task: TaskSpec) -> dict[str, Any]:
    """A JSON form of the sandbox's ``TaskSpec`` (which has no ``to_json`` of its own)."""
    data = dataclasses.asdict(task)
    data["format"] = SPEC_FORMAT
    return data


def task_from_json(data: Mapping[str, Any]) -> TaskSpec:
    """Rebuild a ``TaskSpec`` from :func:`task_to_json` output (e.g. a ``spec`` column)."""
    values = {f.name: data[f.name] for f in dataclasses.fields(TaskSpec) if f.name in data}
    values["limits"] = Limits(**data["limits"])
    return TaskSpec(**values)


def describe_task(folder: Path, display: str) -> tuple[TaskSpec, dict[str, Any]]:
    """The sandbox's task for ``folder`` and its JSON form.

    A refusal becomes :class:`SandboxTaskError` naming the file (relative to ``display``,
    the task folder as messages show it) and the line when the sandbox knows it.
    """
    try:
        task = load_task(folder)
    except TaskFormatError as exc:
        try:
            where = Path(exc.path).resolve().relative_to(folder.resolve()).as_posix()
        except ValueError:
            where = "task.yaml"
        raise SandboxTaskError(f"{display}/{where}", exc.line or 1, exc.message) from exc
    return task, task_to_json(task)
