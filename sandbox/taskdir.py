"""Load a task folder of the challenge bank (see notes on the bank format)."""

from __future__ import annotations

import hashlib
import json
import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sandbox import kinds
from sandbox.config import Limits
from sandbox.errors import TaskFormatError

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RESERVED_MODULES = frozenset({"probekit", "probes", "runner", "pytest", "conftest", "_pytest"})
# Every file a task folder may hold beside task.yaml (each kind says which it needs); all
# take part in the content hash, absent ones as empty text, so a hash never depends on a kind.
TASK_FILES = ("starter.py", "reference.py", "visible_tests.py", "probes.py", "implementation.py")


@dataclass(frozen=True)
class TaskSpec:
    """Everything needed to run a task in the sandbox."""

    slug: str
    kind: str
    module: str
    title: str
    limits: Limits
    starter: str
    reference: str
    visible_tests: str
    probes: str
    faulty: dict[str, str] = field(default_factory=dict)
    buggy: dict[str, str] = field(default_factory=dict)
    implementation: str = ""
    content_hash: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    variants: dict[str, str] = field(default_factory=dict)
    extras: dict[str, str] = field(default_factory=dict)  # files only this task's kind needs

    @property
    def kind_class(self) -> kinds.TaskKind:
        """The registered kind that runs and judges this task."""
        return kinds.get(self.kind)

    @property
    def candidate_file(self) -> str:
        """The file name the candidate's submission is saved as."""
        return self.kind_class.candidate_file(self)


def _read(path: Path, required: bool = True) -> str:
    """Read a UTF-8 file of the task, naming it on failure."""
    if not path.is_file():
        if required:
            raise TaskFormatError(path, "missing file")
        return ""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TaskFormatError(path, f"not valid UTF-8 ({exc.reason})") from exc


def _read_dir(folder: Path) -> dict[str, str]:
    """Read every ``*.py`` of a sub-folder (faulty/, buggy/, variants/), keyed by stem."""
    if not folder.is_dir():
        return {}
    return {p.stem: _read(p) for p in sorted(folder.glob("*.py"))}


def _parse_yaml(path: Path) -> dict[str, Any]:
    """Parse task.yaml, turning YAML errors into a TaskFormatError with a line number."""
    text = _read(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise TaskFormatError(path, f"invalid YAML: {getattr(exc, 'problem', exc)}", line) from exc
    if not isinstance(data, dict):
        raise TaskFormatError(path, "must be a mapping")
    return data


def _check_python(path: Path, text: str) -> None:
    """Compile a task file so that a broken one is caught at load time."""
    try:
        compile(text, str(path), "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise TaskFormatError(path, f"syntax error: {exc.msg}", exc.lineno) from exc


def load_task(path: Path, base_limits: Limits | None = None) -> TaskSpec:
    """Load and check the task folder at ``path``."""
    path = Path(path)
    meta_path = path / "task.yaml"
    meta = _parse_yaml(meta_path)
    slug = meta.get("slug")
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        raise TaskFormatError(meta_path, f"slug {slug!r} must be lower-case-with-dashes")
    if slug != path.name:
        raise TaskFormatError(meta_path, f"slug {slug!r} differs from the folder name")
    kind_name = meta.get("kind")
    if not isinstance(kind_name, str) or kind_name not in kinds.REGISTRY:
        choices = ", ".join(kinds.names())
        raise TaskFormatError(meta_path, f"kind {kind_name!r} must be one of {choices}")
    kind = kinds.get(kind_name)
    module = meta.get("module", "solution")
    if (
        not isinstance(module, str)
        or not module.isidentifier()
        or keyword.iskeyword(module)
        or module in RESERVED_MODULES
    ):
        raise TaskFormatError(meta_path, f"module {module!r} is not a usable module name")
    raw_limits = meta.get("limits") or {}
    if not isinstance(raw_limits, dict):
        raise TaskFormatError(meta_path, "limits must be a mapping")
    try:
        limits = (base_limits or Limits()).merged(raw_limits)
    except ValueError as exc:
        raise TaskFormatError(meta_path, str(exc)) from exc

    needed = kind.files
    files = {name: _read(path / name, required=name in needed) for name in TASK_FILES}
    extras = {name: _read(path / name) for name in kind.files if name not in TASK_FILES}
    faulty = _read_dir(path / "faulty")
    buggy = _read_dir(path / "buggy")
    # Hidden correct implementations written differently (write-tests): a test file must
    # pass them too, so it cannot score by recognising the implementation it was shown.
    variants = _read_dir(path / "variants") if "variants" in kind.folders else {}
    kind.check(meta_path, module, {"faulty": faulty, "buggy": buggy, "variants": variants})
    own = kind.read(path, meta)  # a kind's own layout (a project's trees), hashed below
    for name, text in {**files, **extras}.items():
        if text and name.endswith(".py"):
            _check_python(path / name, text)
    for folder, group in (("faulty", faulty), ("buggy", buggy), ("variants", variants)):
        for stem, text in group.items():
            _check_python(path / folder / f"{stem}.py", text)

    digest = hashlib.sha256(repr(sorted(meta.items(), key=str)).encode())
    for name, text in sorted(files.items()):
        digest.update(f"\0{name}\0{text}".encode())
    for name, text in sorted(extras.items()):
        digest.update(f"\0extra/{name}\0{text}".encode())
    for folder, group in (("faulty", faulty), ("buggy", buggy), ("variants", variants)):
        for stem, text in sorted(group.items()):
            digest.update(f"\0{folder}/{stem}\0{text}".encode())
    for key, value in sorted(own.items()):
        digest.update(f"\0own/{key}\0{json.dumps(value, sort_keys=True)}".encode())
    values: dict[str, Any] = {
        "starter": files["starter.py"],
        "reference": files["reference.py"],
        "visible_tests": files["visible_tests.py"],
        "faulty": faulty,
        **own,
    }
    return TaskSpec(
        slug=slug,
        kind=kind.name,
        module=module,
        title=str(meta.get("title", slug)),
        limits=limits,
        probes=files["probes.py"],
        buggy=buggy,
        implementation=files["implementation.py"],
        content_hash=digest.hexdigest(),
        meta=meta,
        variants=variants,
        extras=extras,
        **values,
    )
