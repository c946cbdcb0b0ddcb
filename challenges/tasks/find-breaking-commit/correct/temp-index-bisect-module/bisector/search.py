"""The search for the commit that broke something.

The repository itself is never touched: each tested commit is materialised in a fresh
folder outside it, through a private temporary index (``GIT_INDEX_FILE``) filled with
``git read-tree`` and written out with ``git checkout-index``. The search over the
first-parent candidates is the standard library's ``bisect.bisect_left`` with a key.
"""

from __future__ import annotations

import bisect
import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path


class _Git:
    """Runs git commands against one repository."""

    def __init__(self, repo: str | os.PathLike[str]) -> None:
        self.repo = os.fspath(repo)

    def run(
        self, *args: str, env: dict[str, str] | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "-C", self.repo, *args],
            capture_output=True,
            text=True,
            check=check,
            env=env,
        )

    def resolve_commit(self, rev: str) -> str:
        """The full hash of the commit ``rev`` names (tags peeled); ValueError if none."""
        if not isinstance(rev, str) or not rev or rev.startswith("-"):
            raise ValueError(f"not a revision: {rev!r}")
        done = self.run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
        if done.returncode != 0:
            raise ValueError(f"{rev!r} does not name a commit of {self.repo}")
        return done.stdout.strip().lower()

    def is_ancestor(self, older: str, newer: str) -> bool:
        done = self.run("merge-base", "--is-ancestor", older, newer, check=False)
        if done.returncode not in (0, 1):
            raise ValueError(f"cannot compare {older} and {newer}: {done.stderr.strip()}")
        return done.returncode == 0

    def first_parent_candidates(self, good: str, bad: str) -> list[str]:
        """``git rev-list --first-parent good..bad``, oldest first."""
        out = self.run("rev-list", "--first-parent", "--reverse", f"{good}..{bad}").stdout
        return out.split()

    def export(self, commit: str, target: Path, index_file: Path) -> None:
        """Write the files of ``commit`` into the empty folder ``target``."""
        env = {**os.environ, "GIT_INDEX_FILE": os.fspath(index_file)}
        self.run("read-tree", commit, env=env)
        self.run(f"--work-tree={os.fspath(target)}", "checkout-index", "--all", "--force", env=env)


def first_bad_commit(
    repo: str | os.PathLike[str],
    good: str,
    bad: str,
    is_good: Callable[[str], bool],
) -> str:
    """The full hash of the first commit of ``bad``'s first-parent line after ``good``
    for which ``is_good`` is False.

    Makes at most ceil(log2(n)) calls of ``is_good`` for n candidates (``bad`` is known to
    be bad and is never tested) and leaves the repository exactly as it was.
    """
    git = _Git(repo)
    good_hash = git.resolve_commit(good)
    bad_hash = git.resolve_commit(bad)
    if good_hash == bad_hash:
        raise ValueError(f"{good!r} and {bad!r} are the same commit")
    if not git.is_ancestor(good_hash, bad_hash):
        raise ValueError(f"{good!r} is not an ancestor of {bad!r}")

    candidates = git.first_parent_candidates(good_hash, bad_hash)
    if not candidates:  # cannot happen once good is a proper ancestor of bad
        raise ValueError(f"no commit between {good!r} and {bad!r}")
    # The last candidate is bad itself: search only the others. bisect_left over
    # range(n - 1) with the key "is bad" finds the first bad one, n - 1 meaning ``bad``.
    untested = range(len(candidates) - 1)

    with tempfile.TemporaryDirectory(prefix="bisector-") as scratch:
        scratch_dir = Path(scratch)
        index_file = scratch_dir / "index"

        def is_bad(position: int) -> bool:
            commit = candidates[position]
            target = scratch_dir / f"tree-{position}"
            target.mkdir()
            git.export(commit, target, index_file)
            return not is_good(os.fspath(target))

        first_bad = bisect.bisect_left(untested, True, key=is_bad)
    return candidates[first_bad]
