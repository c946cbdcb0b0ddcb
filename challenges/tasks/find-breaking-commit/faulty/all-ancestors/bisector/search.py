"""The search for the commit that broke something: a binary search over the first-parent
history, each probe made in a temporary worktree so the repository itself never moves."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable


def _git(repo: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run git in ``repo``."""
    return subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True, check=check)


def _commit(repo: str, revision: str) -> str:
    """The full hash of the commit ``revision`` names, or ValueError."""
    done = _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", check=False)
    if done.returncode != 0:
        raise ValueError(f"unknown revision {revision!r}")
    return done.stdout.strip()


def first_bad_commit(
    repo: str | os.PathLike[str],
    good: str,
    bad: str,
    is_good: Callable[[str], bool],
) -> str:
    """The full hash of the first commit of ``git rev-list --first-parent good..bad`` (oldest
    first) for which ``is_good`` returns False."""
    repo = os.fspath(repo)
    good_hash = _commit(repo, good)
    bad_hash = _commit(repo, bad)
    if good_hash == bad_hash:
        raise ValueError("good and bad are the same commit")
    if _git(repo, "merge-base", "--is-ancestor", good_hash, bad_hash, check=False).returncode:
        raise ValueError("good is not an ancestor of bad")
    candidates = _git(repo, "rev-list", "--reverse", f"{good_hash}..{bad_hash}").stdout.split()
    scratch = tempfile.mkdtemp(prefix="bisector-")
    tree = os.path.join(scratch, "tree")
    _git(repo, "worktree", "add", "--quiet", "--detach", tree, bad_hash)
    try:
        low, high = 0, len(candidates) - 1  # the answer is in candidates[low..high]
        while low < high:
            middle = (low + high) // 2
            _git(tree, "checkout", "--quiet", "--detach", candidates[middle])
            if is_good(tree):
                low = middle + 1
            else:
                high = middle
        return candidates[low]
    finally:
        _git(repo, "worktree", "remove", "--force", tree, check=False)
        shutil.rmtree(scratch, ignore_errors=True)
        _git(repo, "worktree", "prune", check=False)
