"""Builds small repositories with git and asks backports.missing about them."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import backports


class Repo:
    """A throw-away repository with fixed names and dates."""

    def __init__(self, root: Path) -> None:
        self.path = root / "repo"
        self.path.mkdir()
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(root),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Test",
            "GIT_AUTHOR_EMAIL": "test@example.com",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "test@example.com",
        }
        self.tick = 0
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        self.tick += 1
        stamp = f"{1767261600 + 60 * self.tick} +0000"
        env = {**self.env, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        done = subprocess.run(
            ["git", *args], cwd=self.path, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout

    def commit(self, message: str, **files: str) -> str:
        """Write ``files`` (name=text, '_' for '.') and commit them; the new hash."""
        for name, text in files.items():
            (self.path / name.replace("_", ".")).write_text(text, encoding="utf-8")
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def example(tmp_path: Path) -> tuple[Repo, dict[str, str]]:
    """The statement's example: A and C are on release (C reworded), F and D are not."""
    repo = Repo(tmp_path)
    lines = [f"line {n}\n" for n in range(1, 21)]
    repo.commit("Initial import", calc_py="".join(lines))
    repo.commit("Setup", README_md="# shop\n")
    repo.git("branch", "release/2.1")
    sha = {}
    lines[1] = "line 2 fixed\n"
    sha["A"] = repo.commit("Fix A", calc_py="".join(lines))
    sha["F"] = repo.commit("Feature F", feature_py="print('F')\n")
    lines[15] = "line 16 fixed\n"
    sha["C"] = repo.commit("Fix C", calc_py="".join(lines))
    sha["D"] = repo.commit("Docs D", README_md="# shop\n\nUsage.\n")
    repo.git("switch", "-q", "release/2.1")
    repo.commit("Version 2.1", VERSION="2.1.0\n")
    repo.git("cherry-pick", "-x", sha["A"])
    repo.git("cherry-pick", "-n", sha["C"])
    repo.commit("Backport C to 2.1")
    repo.git("switch", "-q", "main")
    return repo, sha


def test_example(example: tuple[Repo, dict[str, str]]) -> None:
    repo, sha = example
    assert backports.missing(str(repo.path), "release/2.1", "main") == [sha["F"], sha["D"]]


def test_empty_and_merge_commits_are_skipped(example: tuple[Repo, dict[str, str]]) -> None:
    repo, sha = example
    repo.commit("Trigger CI")
    repo.git("switch", "-q", "-c", "topic")
    topic = repo.commit("Topic work", topic_py="print('topic')\n")
    repo.git("switch", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge topic", "topic")
    assert backports.missing(repo.path, "release/2.1", "main") == [sha["F"], sha["D"], topic]


def test_unknown_branch(example: tuple[Repo, dict[str, str]]) -> None:
    repo, _ = example
    with pytest.raises(ValueError):
        backports.missing(str(repo.path), "release/9.9", "main")


def test_repository_unchanged(example: tuple[Repo, dict[str, str]]) -> None:
    repo, _ = example
    repo.git("switch", "-q", "release/2.1")
    (repo.path / "notes.txt").write_text("draft\n", encoding="utf-8")

    def state() -> tuple[str, str, str]:
        return (
            repo.git("for-each-ref"),
            repo.git("symbolic-ref", "HEAD"),
            repo.git("status", "--porcelain"),
        )

    before = state()
    backports.missing(str(repo.path), "release/2.1", "main")
    assert state() == before
