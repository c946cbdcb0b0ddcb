"""Compare a release branch with main."""

from __future__ import annotations

import os

from backports.gitcmd import git


def _commits(repo: str | os.PathLike[str], revisions: str) -> list[tuple[str, str]]:
    """(hash, message) of the commits in ``revisions``, oldest first."""
    out = git(repo, "log", "--reverse", "--format=%H%x00%B%x1e", revisions)
    commits = []
    for record in out.split("\x1e"):
        record = record.strip("\n")
        if record:
            sha, message = record.split("\x00", 1)
            commits.append((sha, message.strip()))
    return commits


def missing(repo: str | os.PathLike[str], release: str, main: str) -> list[str]:
    """The commits of ``main`` that are not on ``release`` yet, oldest first."""
    base = git(repo, "merge-base", release, main).strip()
    on_release = {message for _, message in _commits(repo, f"{base}..{release}")}
    return [sha for sha, message in _commits(repo, f"{base}..{main}") if message not in on_release]
