"""Compare a release branch with main by the changes the commits make.

This version lets ``git cherry`` do the patch-id comparison: ``git cherry <release> <main>``
lists the non-merge commits of ``merge-base..main`` oldest first, marking with ``-`` those
whose patch id (the same whitespace- and line-number-insensitive id ``git patch-id``
computes) matches a commit of ``merge-base..release``, and with ``+`` the others. Empty
commits are then dropped by comparing each candidate's tree with its parent's.
Every command used only reads the repository.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass

from backports.gitcmd import git

EMPTY_TREE_SHA1 = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


@dataclass(frozen=True)
class BranchComparison:
    """The commits of ``main`` that a release branch has no equivalent of."""

    repo: str | os.PathLike[str]
    release: str
    main: str

    def _ref(self, branch: str) -> str:
        """The full ref of a local branch; ``ValueError`` when there is none."""
        ref = f"refs/heads/{branch}"
        if not isinstance(branch, str) or not branch:
            raise ValueError(f"not a local branch: {branch!r}")
        try:
            git(self.repo, "show-ref", "--verify", "--quiet", ref)
        except subprocess.CalledProcessError as exc:
            raise ValueError(f"not a local branch: {branch!r}") from exc
        return ref

    def _unmatched(self, release_ref: str, main_ref: str) -> list[str]:
        """Non-merge commits of main with no same-patch-id commit on release, oldest first."""
        out = git(self.repo, "cherry", release_ref, main_ref)
        found = []
        for line in out.splitlines():
            mark, _, sha = line.partition(" ")
            if mark == "+":
                found.append(sha.strip())
        return found

    def _empty(self, commits: list[str]) -> set[str]:
        """Those of ``commits`` whose tree equals their (first) parent's tree."""
        if not commits:
            return set()
        out = git(self.repo, "show", "-s", "--format=%H %T %P", *commits)
        rows = [line.split() for line in out.splitlines() if line.strip()]
        parents = sorted({row[2] for row in rows if len(row) > 2})
        parent_tree = {}
        if parents:
            trees = git(self.repo, "rev-parse", *(f"{p}^{{tree}}" for p in parents)).split()
            parent_tree = dict(zip(parents, trees))
        empty = set()
        for row in rows:
            sha, tree = row[0], row[1]
            base_tree = parent_tree[row[2]] if len(row) > 2 else EMPTY_TREE_SHA1
            if tree == base_tree:
                empty.add(sha)
        return empty

    def missing(self) -> list[str]:
        release_ref, main_ref = self._ref(self.release), self._ref(self.main)
        candidates = self._unmatched(release_ref, main_ref)
        empty = self._empty(candidates)
        return [sha for sha in candidates if sha not in empty]


def missing(repo: str | os.PathLike[str], release: str, main: str) -> list[str]:
    """The commits of ``main`` that are not on ``release`` yet, oldest first."""
    return BranchComparison(repo, release, main).missing()
