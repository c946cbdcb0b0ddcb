"""Compare a release branch with main by patch content, as ``git cherry`` does."""

from __future__ import annotations

import os
import subprocess

from backports.gitcmd import git


def _branch_ref(repo: str | os.PathLike[str], name: str) -> str:
    """The full ref name of the local branch ``name``; ValueError when there is none."""
    ref = f"refs/heads/{name}"
    try:
        git(repo, "show-ref", "--verify", "--quiet", ref)
    except subprocess.CalledProcessError:
        raise ValueError(f"no local branch named {name!r}") from None
    return ref


def _empty(repo: str | os.PathLike[str], commits: list[str]) -> set[str]:
    """The commits among ``commits`` (none of them a merge) whose tree is their parent's."""
    if not commits:
        return set()
    names = [name for sha in commits for name in (f"{sha}^{{tree}}", f"{sha}~1^{{tree}}")]
    trees = git(repo, "rev-parse", *names).split()
    return {sha for sha, own, parent in zip(commits, trees[::2], trees[1::2]) if own == parent}


def missing(repo: str | os.PathLike[str], release: str, main: str) -> list[str]:
    """The commits of ``main`` since its merge base with ``release`` whose patch has no
    equivalent on ``release`` since that merge base, oldest first. Merge commits and
    commits with an empty change are left out."""
    upstream = _branch_ref(repo, release)
    head = _branch_ref(repo, main)
    # "+ <sha>": no commit of upstream has the same patch id; "- <sha>": one has.
    # git cherry lists the commits of head since the merge base oldest first, merges left out.
    lines = git(repo, "cherry", upstream, head).splitlines()
    candidates = [line[2:].strip() for line in lines if line.startswith("+ ")]
    empty = _empty(repo, candidates)
    return [sha for sha in candidates if sha not in empty]
