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
    return candidates
