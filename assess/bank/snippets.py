"""Run the code of ``code-output`` questions and compare what it prints with the answer.

The bank is reviewed content, not candidate code, so the snippets run on the host in an
isolated interpreter (``python -I``) in an empty temporary folder with a minimal
environment and a time limit.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from assess.bank.scoring import normalise_output
from assess.bank.source import BankIssue
from assess.bank.spec import QuestionSpec

TIMEOUT_SECONDS = 20.0


def run_snippet(code: str, timeout: float = TIMEOUT_SECONDS) -> tuple[int | None, str, str]:
    """Run ``code``; return (exit status or None on timeout, stdout, stderr)."""
    with tempfile.TemporaryDirectory(prefix="bank-snippet-") as folder:
        try:
            done = subprocess.run(
                [sys.executable, "-I", "-c", code],
                cwd=folder,
                capture_output=True,
                text=True,
                timeout=timeout,
                env={"PYTHONHASHSEED": "0", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"},
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None, "", ""
    return done.returncode, done.stdout, done.stderr


def check_code_output(question: QuestionSpec) -> BankIssue | None:
    """An issue when the snippet fails or prints something other than the answer."""
    file, _, line = question.source.rpartition(":")
    status, out, err = run_snippet(question.code or "")
    ctx = f"question {question.id}"
    if status is None:
        return BankIssue(file, int(line), f"{ctx}: code did not finish in {TIMEOUT_SECONDS:g}s")
    if status != 0:
        last = err.strip().splitlines()[-1] if err.strip() else f"exit status {status}"
        return BankIssue(file, int(line), f"{ctx}: code fails on {_python()}: {last}")
    if normalise_output(out) != normalise_output(str(question.answer)):
        shown = out if len(out) < 300 else out[:300] + "..."
        return BankIssue(file, int(line), f"{ctx}: code prints {shown!r}, not the answer")
    return None


def check_code_outputs(questions: Iterable[QuestionSpec], workers: int = 8) -> list[BankIssue]:
    """Check every code-output question, in parallel."""
    chosen = [q for q in questions if q.type == "code-output"]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        found = list(pool.map(check_code_output, chosen))
    return sorted(issue for issue in found if issue is not None)


def _python() -> str:
    """``CPython 3.11.9``."""
    return f"CPython {sys.version.split()[0]}"
