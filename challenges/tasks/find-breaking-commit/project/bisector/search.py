"""The search for the commit that broke something."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable


def _git(repo: str | os.PathLike[str], *args: str) -> str:
    """Run git in ``repo`` and return what it printed."""
    done = subprocess.run(
        ["git", "-C", os.fspath(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def first_bad_commit(
    repo: str | os.PathLike[str],
    good: str,
    bad: str,
    is_good: Callable[[str], bool],
) -> str:
    """The full hash of the first commit after ``good`` for which ``is_good`` is False.

    Works, but tests every commit of the range and leaves the repository checked out at the
    last one it tested.
    """
    commits = _git(repo, "rev-list", "--first-parent", "--reverse", f"{good}..{bad}").split()
    verdicts = []
    for commit in commits:
        _git(repo, "checkout", "--quiet", "--detach", commit)
        verdicts.append(is_good(os.fspath(repo)))
    for commit, verdict in zip(commits, verdicts):
        if not verdict:
            return commit
    raise ValueError(f"no bad commit between {good} and {bad}")
