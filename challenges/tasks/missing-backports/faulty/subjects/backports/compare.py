"""Missing backports judged by commit subjects."""

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


def _commits(repo: str | os.PathLike[str], revisions: str) -> list[tuple[str, str]]:
    """(hash, subject) of the non-merge commits with a change in ``revisions``, oldest first."""
    out = git(repo, "log", "--reverse", "--no-merges", "--format=%H %s", revisions, "--", ".")
    return [tuple(line.split(" ", 1)) for line in out.splitlines() if line]


def missing(repo: str | os.PathLike[str], release: str, main: str) -> list[str]:
    upstream = _branch_ref(repo, release)
    head = _branch_ref(repo, main)
    base = git(repo, "merge-base", upstream, head).strip()
    subjects = {subject for _, subject in _commits(repo, f"{base}..{upstream}")}
    return [sha for sha, subject in _commits(repo, f"{base}..{head}") if subject not in subjects]
