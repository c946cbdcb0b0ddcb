"""Running a live interview's pad as it stands: ``python main.py`` or its own tests, in the
same locked-down runner, with the output shown and nothing scored."""

from __future__ import annotations

import pytest

from sandbox import Sandbox, TaskSpec, Verdict

pytestmark = pytest.mark.docker


def test_a_script_runs_and_its_output_comes_back(sandbox: Sandbox, word_count: TaskSpec) -> None:
    """``python main.py`` runs the pad; what it prints and its exit status come back."""
    files = {"main.py": "import helper\nprint('sum', helper.total([1, 2, 3]))\n",
             "helper.py": "def total(xs):\n    return sum(xs)\n"}  # fmt: skip
    result = sandbox.run_files(word_count, files, "main.py")
    assert result.verdict is Verdict.PASSED, result.reason
    assert "sum 6" in result.stdout


def test_a_failing_script_says_how_it_ended(sandbox: Sandbox, word_count: TaskSpec) -> None:
    """A script that raises fails with its traceback and exit status."""
    result = sandbox.run_files(word_count, {"main.py": "raise SystemExit(3)\n"}, "main.py")
    assert result.verdict is Verdict.FAILED
    assert "exited with status 3" in result.reason
    crash = sandbox.run_files(word_count, {"main.py": "1 / 0\n"}, "main.py")
    assert crash.verdict is Verdict.FAILED
    assert "ZeroDivisionError" in crash.stderr


def test_a_runaway_script_is_stopped(sandbox: Sandbox, word_count: TaskSpec) -> None:
    """The wall clock holds for pad runs too."""
    result = sandbox.run_files(word_count, {"main.py": "while True:\n    pass\n"}, "main.py")
    assert result.verdict is Verdict.TIMEOUT


def test_the_pads_own_tests_run_under_pytest(sandbox: Sandbox, word_count: TaskSpec) -> None:
    """Without a main file the pad's test file runs under pytest, one outcome per test."""
    files = {
        "solution.py": "def double(x):\n    return 2 * x\n",
        "test_solution.py": "from solution import double\n\n"
        "def test_ok():\n    assert double(2) == 4\n\n"
        "def test_wrong():\n    assert double(2) == 5\n",
    }
    result = sandbox.run_files(word_count, files, None)
    assert [t.passed for t in result.tests] == [True, False]
    assert result.verdict is Verdict.FAILED


def test_bad_pad_files_are_rejected_with_the_file_named(
    sandbox: Sandbox, word_count: TaskSpec
) -> None:
    """A syntax error is named with its file; no test file to run is said plainly."""
    result = sandbox.run_files(word_count, {"main.py": "def (:\n"}, "main.py")
    assert result.verdict is Verdict.REJECTED
    assert result.reason.startswith("main.py:")
    none = sandbox.run_files(word_count, {"solution.py": "x = 1\n"}, None)
    assert none.verdict is Verdict.REJECTED
    assert "no test file" in none.reason
