"""Missing backports: one ``git log -p`` per side piped through ``git patch-id``."""

from __future__ import annotations

import os
import subprocess

from backports.gitcmd import git


def _ids(repo: str | os.PathLike[str], revisions: list[str]) -> list[tuple[str, str]]:
    """(patch id, commit) of every non-merge commit with a change, in log order."""
    log = git(repo, "log", "-p", "--no-merges", "--no-color", *revisions)
    done = subprocess.run(
        ["git", "patch-id", "--stable"],
        cwd=repo,
        input=log,
        capture_output=True,
        text=True,
        check=True,
    )
    return [tuple(line.split()) for line in done.stdout.splitlines() if line.strip()]


def missing(repo: str | os.PathLike[str], release: str, main: str) -> list[str]:
    refs = {}
    for name in (release, main):
        try:
            refs[name] = git(repo, "rev-parse", "--verify", f"refs/heads/{name}^{{commit}}")
        except subprocess.CalledProcessError as exc:
            raise ValueError(f"no such branch: {name}") from exc
    rel, head = refs[release].strip(), refs[main].strip()
    base = git(repo, "merge-base", rel, head).strip()
    known = {pid for pid, _ in _ids(repo, [f"^{base}", rel])}
    ours = _ids(repo, [f"^{base}", head])
    ours.reverse()  # git log shows the newest first
    return [sha for pid, sha in ours if pid not in known]
