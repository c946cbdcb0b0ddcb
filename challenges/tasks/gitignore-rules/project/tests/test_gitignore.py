"""Asks git which paths the project's .gitignore ignores (a few of the checked paths)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def ignored(tmp_path: Path, paths: list[str]) -> list[str]:
    """The ``paths`` git ignores in a fresh repository holding them and our .gitignore."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", "init", "-q", str(tmp_path)], env=env, check=True)
    for path in paths:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(path, encoding="utf-8")
    (tmp_path / ".gitignore").write_text((ROOT / ".gitignore").read_text(encoding="utf-8"))
    out = subprocess.run(
        ["git", "ls-files", "--others", "--ignored", "--exclude-standard"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return [path for path in paths if path in out]


@pytest.mark.parametrize(
    "path",
    [
        "invoicer/__pycache__/render.cpython-311.pyc",
        ".env",
        "logs/app.log",
        ".venv/pyvenv.cfg",
        "dist/invoicer-1.0.0.tar.gz",
    ],
)
def test_ignored(tmp_path: Path, path: str) -> None:
    """A build artefact, secret, log or virtualenv file is ignored."""
    assert ignored(tmp_path, [path, "README.md"]) == [path]


def test_sources_and_examples_kept(tmp_path: Path) -> None:
    """Source code and the example files stay visible to git."""
    kept = ["invoicer/render.py", "invoicer/build/__init__.py", ".env.example", "logs/.gitkeep"]
    assert ignored(tmp_path, [*kept, "logs/app.log", ".env"]) == ["logs/app.log", ".env"]
