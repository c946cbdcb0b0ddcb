"""Hidden checks of the entry point: each probe runs ``sh docker-entrypoint.sh`` with a
small Python command that records what it saw (its process id, its arguments, the schema)
in a file, then reports what happened. The Dockerfile rules are judged by the host."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from probekit import probe

RECORD = (
    "import json, os, sqlite3, sys\n"
    "url = os.environ.get('DATABASE_URL', '')\n"
    "tables = []\n"
    "if url.startswith('sqlite:///') and os.path.exists(url[10:]):\n"
    "    db = sqlite3.connect(url[10:])\n"
    "    tables = [r[0] for r in db.execute(\"SELECT name FROM sqlite_master WHERE type='table'\")]\n"
    "with open(os.environ['RECORD_TO'], 'w') as f:\n"
    "    json.dump({'pid': os.getpid(), 'argv': sys.argv[1:], 'tables': tables}, f)\n"
    "sys.exit(int(os.environ.get('EXIT_WITH', '0')))\n"
)


def run(shipping, args=(), database=True, exit_with=0):
    """Run the entry point with the recording command; what it left behind."""
    root = Path(shipping.__file__).resolve().parent.parent
    work = Path(tempfile.mkdtemp())
    bin_dir = work / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    env = {
        "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(work),
        "LANG": "C.UTF-8",
        "RECORD_TO": str(work / "record.json"),
        "EXIT_WITH": str(exit_with),
    }
    if database:
        env["DATABASE_URL"] = f"sqlite:///{work / 'shipping.db'}"
    command = ["python", "-c", RECORD, *args]
    try:
        proc = subprocess.Popen(
            ["/bin/sh", str(root / "docker-entrypoint.sh"), *command],
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError as exc:
        return {"error": type(exc).__name__}
    try:
        code = proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return {"error": "timeout"}
    record = work / "record.json"
    seen = json.loads(record.read_text()) if record.is_file() else None
    return {"rc": code, "pid": proc.pid, "seen": seen}


@probe("starts-the-command", weight=2)
def _(shipping):
    result = run(shipping)
    return {"rc": result.get("rc"), "ran": bool(result.get("seen"))}


@probe("migrates-before-the-command")
def _(shipping):
    seen = run(shipping).get("seen") or {}
    return "quote" in seen.get("tables", [])


@probe("command-replaces-the-shell", weight=2)
def _(shipping):
    result = run(shipping)
    seen = result.get("seen") or {}
    return seen.get("pid") == result.get("pid") and result.get("pid") is not None


@probe("arguments-pass-unchanged", weight=2)
def _(shipping):
    args = ["two words", "", "*", "$HOME", "--zone=eu world", "a\tb"]
    seen = run(shipping, args).get("seen") or {}
    return seen.get("argv")


@probe("exit-status-is-the-commands")
def _(shipping):
    return run(shipping, exit_with=7).get("rc")


@probe("failed-migration-stops-the-start", weight=2)
def _(shipping):
    result = run(shipping, database=False)
    return {"rc": result.get("rc"), "ran": bool(result.get("seen"))}
