"""Missing backports found by computing every commit's ``git patch-id --stable``."""

from __future__ import annotations

import os
import subprocess

from backports.gitcmd import git


def _require_branch(repo: str | os.PathLike[str], name: str) -> None:
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{name}"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise ValueError(f"{name!r} is not a local branch")


def _patch_id(repo: str | os.PathLike[str], sha: str) -> str | None:
    """The stable patch id of ``sha`` against its parent; None for an empty change."""
    diff = git(repo, "diff-tree", "-p", "--no-color", sha)
    done = subprocess.run(
        ["git", "patch-id", "--stable"],
        cwd=repo,
        input=diff,
        capture_output=True,
        text=True,
        check=True,
    )
    words = done.stdout.split()
    return words[0] if words else None


def missing(repo: str | os.PathLike[str], release: str, main: str) -> list[str]:
    """Main's commits since the merge base whose patch id is not among release's."""
    _require_branch(repo, release)
    _require_branch(repo, main)
    base = git(repo, "merge-base", f"refs/heads/{release}", f"refs/heads/{main}").strip()

    def since_base(branch: str) -> list[str]:
        out = git(repo, "rev-list", "--reverse", "--no-merges", f"{base}..refs/heads/{branch}")
        return out.split()

    on_release = {_patch_id(repo, sha) for sha in since_base(release)}
    result = []
    for sha in git(repo, "rev-list", "--reverse", "--no-merges", f"refs/heads/{main}").split():
        pid = _patch_id(repo, sha)
        if pid is not None and pid not in on_release:
            result.append(sha)
    return result
