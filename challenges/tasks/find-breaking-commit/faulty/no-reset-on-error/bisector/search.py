"""Let git itself drive the search: ``git bisect --first-parent`` in the repository, reset
whatever happens."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable

FIRST_BAD = re.compile(r"^[0-9a-f]{40} is the first bad commit", re.MULTILINE)


class _Git:
    """git commands in one repository."""

    def __init__(self, repo: str) -> None:
        self.repo = repo

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=self.repo, capture_output=True, text=True)

    def out(self, *args: str) -> str:
        done = self.run(*args)
        if done.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout.strip()

    def commit(self, revision: str) -> str:
        done = self.run("rev-parse", "--verify", "--quiet", revision + "^{commit}")
        if done.returncode != 0:
            raise ValueError(f"{revision!r} does not name a commit")
        return done.stdout.strip()


def first_bad_commit(
    repo: str | os.PathLike[str],
    good: str,
    bad: str,
    is_good: Callable[[str], bool],
) -> str:
    """The first bad commit of the first-parent history from ``good`` (excluded) to ``bad``."""
    path = os.fspath(repo)
    git = _Git(path)
    good_commit, bad_commit = git.commit(good), git.commit(bad)
    if good_commit == bad_commit:
        raise ValueError("good and bad name the same commit")
    if git.run("merge-base", "--is-ancestor", good_commit, bad_commit).returncode != 0:
        raise ValueError("good is not an ancestor of bad")
    output = git.out("bisect", "start", "--first-parent", bad_commit, good_commit)
    while not FIRST_BAD.search(output):  # HEAD is the next commit to test
        output = git.out("bisect", "good" if is_good(path) else "bad")
    found = git.out("rev-parse", "refs/bisect/bad")
    git.run("bisect", "reset")
    return found
