"""Missing backports from ``git log --cherry-pick`` (merges kept)."""

from __future__ import annotations

import os

from backports.gitcmd import git


def missing(repo: str | os.PathLike[str], release: str, main: str) -> list[str]:
    branches = set(git(repo, "for-each-ref", "--format=%(refname)", "refs/heads/").split())
    for name in (release, main):
        if f"refs/heads/{name}" not in branches:
            raise ValueError(f"unknown branch {name!r}")
    out = git(
        repo,
        "log",
        "--cherry-pick",
        "--right-only",
        "--reverse",
        "--format=%H %T %P",
        f"refs/heads/{release}...refs/heads/{main}",
        "--",
    )
    rows = [line.split() for line in out.splitlines() if line.strip()]
    if not rows:
        return []
    parent_trees = git(repo, "rev-parse", *(f"{row[2]}^{{tree}}" for row in rows)).split()
    return [row[0] for row, parent_tree in zip(rows, parent_trees) if row[1] != parent_tree]
