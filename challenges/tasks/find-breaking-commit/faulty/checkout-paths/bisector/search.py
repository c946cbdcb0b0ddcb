"""Check out each tested commit's files over the working tree, HEAD never moves; put
HEAD's files back at the end."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable


def git(repo, *args):
    """Run git in ``repo``; return (exit code, stripped stdout)."""
    proc = subprocess.run(
        ("git", "-C", repo) + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    return proc.returncode, proc.stdout.strip()


def commit_of(repo, rev):
    code, sha = git(repo, "rev-parse", "--verify", "--quiet", rev + "^{commit}")
    if code:
        raise ValueError("not a commit: " + rev)
    return sha


def first_bad_commit(repo, good, bad, is_good: Callable[[str], bool]) -> str:
    """See the README: binary search over ``git rev-list --first-parent good..bad``."""
    repo = os.fspath(repo)
    good, bad = commit_of(repo, good), commit_of(repo, bad)
    if good == bad:
        raise ValueError("good == bad")
    code, base = git(repo, "merge-base", good, bad)
    if code or base != good:
        raise ValueError("good must be an ancestor of bad")
    code, listing = git(repo, "rev-list", "--first-parent", good + ".." + bad)
    newest_first = listing.split()

    restore = ("checkout", "--quiet", "HEAD", "--", ".")

    def test(sha):
        code, _ = git(repo, "checkout", "--quiet", sha, "--", ".")
        if code:
            raise RuntimeError("cannot check out " + sha)
        return is_good(repo)

    # newest_first[0] is bad; find the smallest i such that newest_first[i] is still bad
    # while newest_first[i + 1] (or good, past the end) is good.
    try:
        bad_at, good_at = 0, len(newest_first)
        while good_at - bad_at > 1:
            middle = (bad_at + good_at) // 2
            if test(newest_first[middle]):
                good_at = middle
            else:
                bad_at = middle
        return newest_first[bad_at]
    finally:
        git(repo, *restore)
