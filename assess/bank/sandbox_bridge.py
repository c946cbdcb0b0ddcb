"""The one place where the bank talks to the ``sandbox`` package (provisional)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class SandboxTaskError(Exception):
    """The sandbox refused a task folder."""


def describe_task(folder: Path) -> tuple[str, dict[str, Any]]:
    """The task's content hash and a JSON spec that rebuilds it."""
    try:
        from sandbox.taskdir import TaskFormatError, load_task
    except ImportError:
        import hashlib

        h = hashlib.sha256()
        for p in sorted(folder.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes())
        return h.hexdigest(), {"path": str(folder)}
    try:
        task = load_task(folder)
    except TaskFormatError as exc:
        raise SandboxTaskError(str(exc)) from exc
    return task.content_hash, {"path": str(folder)}
