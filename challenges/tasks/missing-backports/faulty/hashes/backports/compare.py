"""Missing backports: main's commits whose hash is not on release."""

from __future__ import annotations

import os
import subprocess

from backports.gitcmd import git


def _branch_ref(repo: str | os.PathLike[str], name: str) -> str:
    ref = f"refs/heads/{name}"
    try:
        git(repo, "show-ref", "--verify", "--quiet", ref)
    except subprocess.CalledProcessError:
        raise ValueError(f"no local branch named {name!r}") from None
    return ref


def missing(repo: str | os.PathLike[str], release: str, main: str) -> list[str]:
    upstream = _branch_ref(repo, release)
    head = _branch_ref(repo, main)
    on_release = set(git(repo, "rev-list", upstream).split())
    ours = git(repo, "rev-list", "--reverse", "--no-merges", head, f"^{upstream}", "--", ".")
    return [sha for sha in ours.split() if sha not in on_release]
