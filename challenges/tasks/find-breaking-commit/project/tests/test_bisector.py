"""Builds a small linear history in a temporary folder and searches it."""

from __future__ import annotations

import math
import os
import subprocess
from pathlib import Path

import pytest

from bisector import first_bad_commit


class Repo:
    """A repository whose commit number i (from 0) sets ``build.txt`` to i."""

    def __init__(self, root: Path, commits: int) -> None:
        self.path = root / "repo"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(root),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Test",
            "GIT_AUTHOR_EMAIL": "test@example.com",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "test@example.com",
        }
        subprocess.run(
            ["git", "init", "-q", "-b", "main", str(self.path)], env=self.env, check=True
        )
        self.hashes = []
        for number in range(commits):
            (self.path / "build.txt").write_text(f"{number}\n")
            date = f"{1767225600 + 60 * number} +0000"
            self.git("add", "-A")
            self.git("commit", "-q", "-m", f"build {number}", date=date)
            self.hashes.append(self.git("rev-parse", "HEAD"))

    def git(self, *args: str, date: str = "1767225600 +0000", check: bool = True) -> str:
        env = {**self.env, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        done = subprocess.run(
            ["git", *args], cwd=self.path, env=env, check=check, capture_output=True, text=True
        )
        return done.stdout.strip()

    def state(self) -> tuple[str, str, str]:
        """The checked-out branch ("" when detached), the HEAD commit and the status."""
        branch = self.git("symbolic-ref", "-q", "HEAD", check=False)
        return branch, self.git("rev-parse", "HEAD"), self.git("status", "--porcelain")


class BrokenFrom:
    """``is_good``: a build is bad from number ``first`` on; counts its calls."""

    def __init__(self, first: int) -> None:
        self.first = first
        self.calls = 0

    def __call__(self, path: str) -> bool:
        self.calls += 1
        return int((Path(path) / "build.txt").read_text()) < self.first


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return Repo(tmp_path_factory.mktemp("history"), 10)


@pytest.mark.parametrize("first", [1, 4, 9])
def test_finds_the_first_bad_commit(repo: Repo, first: int) -> None:
    """The commit where build.txt first reaches ``first`` is found."""
    found = first_bad_commit(str(repo.path), repo.hashes[0], repo.hashes[9], BrokenFrom(first))
    assert found == repo.hashes[first]


def test_calls_within_bound(repo: Repo) -> None:
    """9 candidate commits: at most ceil(log2(9)) + 1 = 5 calls of is_good."""
    check = BrokenFrom(3)
    first_bad_commit(str(repo.path), repo.hashes[0], repo.hashes[9], check)
    assert check.calls <= math.ceil(math.log2(9)) + 1


def test_revisions_in_any_form(repo: Repo) -> None:
    """Tags and relative names work like hashes."""
    repo.git("tag", "-f", "v1", repo.hashes[2])
    assert first_bad_commit(str(repo.path), "v1", "HEAD~1", BrokenFrom(6)) == repo.hashes[6]


def test_repository_left_as_it_was(repo: Repo) -> None:
    """Same branch, same HEAD commit, clean working tree afterwards."""
    before = repo.state()
    first_bad_commit(str(repo.path), repo.hashes[1], repo.hashes[8], BrokenFrom(5))
    assert repo.state() == before == ("refs/heads/main", repo.hashes[9], "")


def test_good_after_bad_is_a_value_error(repo: Repo) -> None:
    """``good`` must be an ancestor of ``bad``; is_good is never called otherwise."""
    check = BrokenFrom(5)
    with pytest.raises(ValueError):
        first_bad_commit(str(repo.path), repo.hashes[7], repo.hashes[3], check)
    assert check.calls == 0
