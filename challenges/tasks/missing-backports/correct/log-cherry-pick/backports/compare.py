"""Missing backports from the symmetric difference that ``git log --cherry-pick`` filters."""

from __future__ import annotations

import os

from backports.gitcmd import git


def missing(repo: str | os.PathLike[str], release: str, main: str) -> list[str]:
    """Commits of ``main`` without an equivalent patch on ``release``, oldest first."""
    branches = set(git(repo, "for-each-ref", "--format=%(refname)", "refs/heads/").split())
    for name in (release, main):
        if f"refs/heads/{name}" not in branches:
            raise ValueError(f"unknown branch {name!r}")
    # --cherry-pick drops the commits whose patch appears on the other side,
    # --right-only keeps main's side, --no-merges drops merges.
    out = git(
        repo,
        "log",
        "--cherry-pick",
        "--right-only",
        "--no-merges",
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
