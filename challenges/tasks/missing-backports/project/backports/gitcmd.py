"""Running git in a repository."""

from __future__ import annotations

import os
import subprocess


def git(repo: str | os.PathLike[str], *args: str) -> str:
    """The standard output of ``git args...`` run in ``repo``; raises
    ``subprocess.CalledProcessError`` when git fails."""
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout
