"""Hidden checks: the candidate's .gitignore is copied into a fresh repository holding the
paths the statement lists; git itself says which of them are ignored."""

import os
import subprocess
import tempfile
from pathlib import Path

from probekit import probe

IGNORED = {
    "bytecode": [
        "invoicer/__pycache__/render.cpython-311.pyc",
        "tests/__pycache__/test_render.cpython-311-pytest-7.2.1.pyc",
        "invoicer/legacy.pyc",
    ],
    "packaging": [
        "build/lib/invoicer/render.py",
        "dist/invoicer-1.0.0.tar.gz",
        "invoicer.egg-info/PKG-INFO",
    ],
    "virtualenv": [".venv/bin/python", ".venv/pyvenv.cfg"],
    "editors": [
        ".idea/workspace.xml",
        ".vscode/settings.json",
        "invoicer/.render.py.swp",
        ".DS_Store",
        "invoicer/.DS_Store",
    ],
    "secrets": [".env", ".env.local", "config/.env.production"],
    "logs": ["logs/app.log", "logs/2026/12/app.log", "invoicer/debug.log"],
    "test-output": [".coverage", "htmlcov/index.html", ".pytest_cache/README.md"],
}
KEPT = {
    "sources": [
        "invoicer/__init__.py",
        "invoicer/render.py",
        "invoicer/build/__init__.py",
        "invoicer/logs/audit.py",
        "docs/logs/rotation.md",
        "tests/test_render.py",
        "pyproject.toml",
        "README.md",
        ".gitignore",
    ],
    "examples": [".env.example", "config/.env.example", "logs/.gitkeep"],
}


def ignored_paths(module):
    """The listed paths git ignores in a fresh repository with the candidate's .gitignore."""
    source = Path(module.__file__).resolve().parent.parent / ".gitignore"
    rules = source.read_text(encoding="utf-8") if source.is_file() else ""
    repo = Path(tempfile.mkdtemp())
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(repo),
        "GIT_CONFIG_NOSYSTEM": "1",
        "LC_ALL": "C",
    }
    subprocess.run(["/usr/bin/git", "init", "-q", str(repo)], env=env, check=True)
    every = [path for group in (*IGNORED.values(), *KEPT.values()) for path in group]
    for path in every:
        target = repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"{path}\n", encoding="utf-8")
    (repo / ".gitignore").write_text(rules, encoding="utf-8")
    listed = subprocess.run(
        ["/usr/bin/git", "ls-files", "--others", "--ignored", "--exclude-standard"],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    return set(listed)


def report(module, paths):
    """Which of ``paths`` are ignored, in the statement's order."""
    ignored = ignored_paths(module)
    return [path for path in paths if path in ignored]


@probe("bytecode-ignored")
def _(invoicer):
    return report(invoicer, IGNORED["bytecode"])


@probe("packaging-ignored")
def _(invoicer):
    return report(invoicer, IGNORED["packaging"])


@probe("virtualenv-ignored")
def _(invoicer):
    return report(invoicer, IGNORED["virtualenv"])


@probe("editor-files-ignored")
def _(invoicer):
    return report(invoicer, IGNORED["editors"])


@probe("secrets-ignored", weight=2)
def _(invoicer):
    return report(invoicer, IGNORED["secrets"])


@probe("logs-ignored")
def _(invoicer):
    return report(invoicer, IGNORED["logs"])


@probe("test-output-ignored")
def _(invoicer):
    return report(invoicer, IGNORED["test-output"])


@probe("sources-kept", weight=2)
def _(invoicer):
    return report(invoicer, KEPT["sources"])


@probe("examples-kept", weight=2)
def _(invoicer):
    return report(invoicer, KEPT["examples"])
