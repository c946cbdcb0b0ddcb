"""Export each tested commit with ``git archive`` into a throwaway folder; the repository's
own HEAD, index and working tree are never touched. The search is the standard library's
``bisect`` over the candidate positions."""

from __future__ import annotations

import bisect
import io
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path


def _git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True).stdout


def _resolve(repo: Path, revision: str) -> str:
    try:
        text = _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except subprocess.CalledProcessError:
        raise ValueError(f"unknown revision: {revision}") from None
    return text.decode().strip()


def _count(repo: Path, spec: str) -> int:
    return int(_git(repo, "rev-list", "--count", spec))


def first_bad_commit(
    repo: str | os.PathLike[str],
    good: str,
    bad: str,
    is_good: Callable[[str], bool],
) -> str:
    """Full hash of the first commit after ``good`` on ``bad``'s first-parent line whose
    tree ``is_good`` rejects."""
    root = Path(repo)
    good_id, bad_id = _resolve(root, good), _resolve(root, bad)
    if _count(root, f"{good_id}..{bad_id}") == 0:
        raise ValueError("nothing between good and bad: they are the same commit")
    if _count(root, f"{bad_id}..{good_id}") != 0:
        raise ValueError("good is not an ancestor of bad")
    line = _git(root, "rev-list", "--first-parent", f"{good_id}..{bad_id}").decode().split()
    line.reverse()  # oldest first; the last one is bad itself

    with tempfile.TemporaryDirectory(prefix="bisect-export-") as scratch:

        def broken(position: int) -> bool:
            target = Path(scratch) / str(position)
            archive = _git(root, "archive", "--format=tar", line[position])
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(target)
            return not is_good(str(target))

        # every commit before the last one may still be good; bad itself is known bad
        position = bisect.bisect_left(range(len(line) - 1), True, key=broken)
    return line[position]
