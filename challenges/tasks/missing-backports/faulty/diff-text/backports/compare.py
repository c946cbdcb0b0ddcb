"""Missing backports found by comparing the text of each commit's diff."""

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


def _change(repo: str | os.PathLike[str], sha: str) -> str:
    """The diff of ``sha`` against its parent without the blob hashes ('' when empty)."""
    diff = git(repo, "diff-tree", "-p", "--no-color", "--no-commit-id", sha)
    return "\n".join(line for line in diff.splitlines() if not line.startswith("index "))


def missing(repo: str | os.PathLike[str], release: str, main: str) -> list[str]:
    _require_branch(repo, release)
    _require_branch(repo, main)
    base = git(repo, "merge-base", f"refs/heads/{release}", f"refs/heads/{main}").strip()

    def since_base(branch: str) -> list[str]:
        out = git(repo, "rev-list", "--reverse", "--no-merges", f"{base}..refs/heads/{branch}")
        return out.split()

    on_release = {_change(repo, sha) for sha in since_base(release)}
    result = []
    for sha in since_base(main):
        change = _change(repo, sha)
        if change and change not in on_release:
            result.append(sha)
    return result
