"""A project task's workspace: a small tree of UTF-8 text files kept as one canonical JSON
document, ``{"files": {"path/in/project.py": "text", ...}}``. A starter, a draft, a
submission and the reference all take this one form, so the app stores a project where it
stores a single file and the sandbox writes it out file by file.

Paths are relative POSIX paths of plain segments: no absolute paths, no ``.`` or ``..``,
no backslashes, no hidden segments except a few well-known dot files, nothing that is not
text. Every rule names the path it refuses, so a candidate sees what to fix.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from sandbox.source import SourceRejectedError, check_source

MAX_FILES = 80
MAX_FILE_BYTES = 64 * 1024
MAX_TOTAL_BYTES = 160 * 1024
MAX_DEPTH = 6
MAX_PATH = 160
SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")
DOT_FILES = frozenset({".gitignore", ".dockerignore", ".env.example"})


class WorkspaceError(SourceRejectedError):
    """A workspace that cannot be saved or run; the message names the path and is safe to
    show the candidate."""


def check_path(path: object) -> str:
    """``path`` if it is an allowed relative path, else :class:`WorkspaceError`."""
    if not isinstance(path, str) or not path:
        raise WorkspaceError("a file path must be a non-empty string")
    shown = path[:80].encode("unicode_escape").decode("ascii")
    if len(path) > MAX_PATH:
        raise WorkspaceError(f"the path {shown}... is longer than {MAX_PATH} characters")
    if path.startswith("/") or "\\" in path or ":" in path:
        raise WorkspaceError(f"the path {shown} must be relative, with forward slashes")
    parts = path.split("/")
    if len(parts) > MAX_DEPTH:
        raise WorkspaceError(f"the path {shown} is nested deeper than {MAX_DEPTH} levels")
    for part in parts:
        if part in ("", ".", ".."):
            raise WorkspaceError(f"the path {shown} has an empty, '.' or '..' part")
        if not (SEGMENT.fullmatch(part) or part in DOT_FILES):
            raise WorkspaceError(
                f"the path {shown} may use letters, digits, '_', '-' and '.' only"
                " (and may not start with '.')"
            )
    return path


def check_text(path: str, text: object) -> str:
    """``text`` if it is a storable file body for ``path``, else :class:`WorkspaceError`."""
    if not isinstance(text, str):
        raise WorkspaceError(f"{path}: the content must be text")
    if "\0" in text:
        raise WorkspaceError(f"{path}: contains a NUL byte (binary files are not allowed)")
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise WorkspaceError(f"{path}: is not valid text ({exc.reason})") from exc
    if size > MAX_FILE_BYTES:
        raise WorkspaceError(f"{path}: {size} bytes, over the limit of {MAX_FILE_BYTES // 1024} KB")
    return text


def check_files(files: Mapping[str, object]) -> dict[str, str]:
    """Every path and text checked, the count and total size capped; sorted by path."""
    if len(files) > MAX_FILES:
        raise WorkspaceError(f"the project has {len(files)} files, over the limit of {MAX_FILES}")
    checked = {check_path(path): check_text(path, text) for path, text in files.items()}
    total = sum(len(text.encode("utf-8")) for text in checked.values())
    if total > MAX_TOTAL_BYTES:
        raise WorkspaceError(
            f"the project holds {total} bytes, over the limit of {MAX_TOTAL_BYTES // 1024} KB"
        )
    folders = {path.rsplit("/", 1)[0] for path in checked if "/" in path}
    clash = sorted(folders & set(checked))
    if clash:
        raise WorkspaceError(f"{clash[0]} is both a file and a folder")
    return dict(sorted(checked.items()))


def dump(files: Mapping[str, str]) -> str:
    """The canonical JSON text of a checked tree (stable: equal trees, equal text)."""
    return json.dumps({"files": check_files(files)}, ensure_ascii=False, sort_keys=True)


def parse(data: bytes | str) -> dict[str, str]:
    """The files of a workspace document, checked, or :class:`WorkspaceError`."""
    raw = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    if len(raw) > 2 * MAX_TOTAL_BYTES:
        raise WorkspaceError("the project is too large")
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise WorkspaceError("the project is not a JSON document of files") from exc
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, dict) or set(doc) != {"files"}:
        raise WorkspaceError('the project must be {"files": {path: text}}')
    return check_files(files)


def editable(path: str, patterns: Iterable[str]) -> bool:
    """Whether ``path`` matches one of the task's editable patterns (shell patterns on the
    whole path, where ``*`` also crosses ``/``: ``app/*`` is everything under ``app/``)."""
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in patterns)


def merge(
    starter: Mapping[str, str], submitted: Mapping[str, str], patterns: Iterable[str]
) -> dict[str, str]:
    """The tree that runs: the starter's read-only files as they are, and the candidate's
    editable files (added, changed or deleted). A submission that touches a read-only file
    is refused, naming it (the editor never sends one, so this is a forged request)."""
    patterns = tuple(patterns)
    for path, text in submitted.items():
        if not editable(path, patterns) and starter.get(path) != text:
            raise WorkspaceError(f"{path} is read-only in this task")
    tree = {path: text for path, text in starter.items() if not editable(path, patterns)}
    tree.update({path: text for path, text in submitted.items() if editable(path, patterns)})
    return check_files(tree)


def overlay(base: Mapping[str, str], changes: Mapping[str, str]) -> dict[str, str]:
    """``base`` with the files of ``changes`` written over it (a variant folder holds only
    the files it changes or adds)."""
    return check_files({**base, **changes})


def read_tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` as a tree; symbolic links, unreadable or binary files
    are refused naming the file (a task author's mistake, caught at load time)."""
    files: dict[str, str] = {}
    for item in sorted(folder.rglob("*")):
        relative = item.relative_to(folder).as_posix()
        if item.is_symlink():
            raise WorkspaceError(f"{folder.name}/{relative} is a symbolic link")
        if item.is_dir() or "__pycache__" in relative.split("/"):
            continue
        try:
            files[relative] = item.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise WorkspaceError(f"{folder.name}/{relative} is not UTF-8 text") from exc
    return check_files(files)


def python_tree(files: Mapping[str, str]) -> ast.Module:
    """One module holding every Python file's statements (for the suspicion flags); a file
    with a syntax error adds nothing here (the tests report it when they run)."""
    body: list[ast.stmt] = []
    for path, text in files.items():
        if path.endswith(".py"):
            try:
                body += check_source(text.encode("utf-8"), MAX_FILE_BYTES, path).tree.body
            except SourceRejectedError:
                continue
    return ast.Module(body=body, type_ignores=[])
