"""Runs docker-entrypoint.sh the way the container does, with a command that records what
it received."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = (
    "import json, os, sys\n"
    "json.dump({'pid': os.getpid(), 'argv': sys.argv[1:]}, open(os.environ['RECORD_TO'], 'w'))\n"
)


def start(tmp_path: Path, *args: str, database: bool = True) -> tuple[int, int, dict | None]:
    """Run the entry point; its exit status, its process id and what the command saw."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    if not (bin_dir / "python").exists():
        (bin_dir / "python").symlink_to(sys.executable)
    env = {
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "RECORD_TO": str(tmp_path / "record.json"),
    }
    if database:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'shipping.db'}"
    proc = subprocess.Popen(
        ["/bin/sh", str(ROOT / "docker-entrypoint.sh"), "python", "-c", RECORD, *args],
        cwd=ROOT,
        env=env,
    )
    code = proc.wait(timeout=15)
    record = tmp_path / "record.json"
    return code, proc.pid, json.loads(record.read_text()) if record.exists() else None


def test_the_command_runs_after_the_migration(tmp_path: Path) -> None:
    code, _, seen = start(tmp_path)
    assert code == 0
    assert seen is not None
    assert (tmp_path / "shipping.db").exists()


def test_arguments_with_spaces_arrive_whole(tmp_path: Path) -> None:
    _, _, seen = start(tmp_path, "two words", "eu")
    assert seen is not None
    assert seen["argv"] == ["two words", "eu"]
