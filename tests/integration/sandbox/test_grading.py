"""Honest submissions earn full marks; bad input is rejected clearly; every kind grades."""

from __future__ import annotations

import codecs
import json
import textwrap
import time
from pathlib import Path

import pytest

from sandbox import Golden, Sandbox, SandboxConfig, TaskSpec, Verdict
from sandbox.cli import grade_file
from sandbox.errors import GoldenError

from .helpers import TASKS, task

pytestmark = pytest.mark.docker

HONEST = textwrap.dedent(
    """
    import threading
    from collections import Counter

    def count_words(text):
        if not isinstance(text, str):
            raise TypeError("text must be a str")
        scratch = bytearray(40 * 1024 * 1024)  # honest code may use some memory
        scratch[::4096] = b"x" * len(scratch[::4096])
        box = []
        worker = threading.Thread(target=lambda: box.append(Counter(text.lower().split())))
        worker.start()
        worker.join()
        print("counting", len(text))
        return dict(box[0])
    """
)


def test_reference_passes(
    sandbox: Sandbox, word_count: TaskSpec, word_count_golden: Golden
) -> None:
    """The reference solution earns full marks."""
    result = sandbox.grade(word_count, word_count.reference.encode(), word_count_golden)
    assert result.verdict is Verdict.PASSED
    assert result.score == 1.0
    assert result.reason == ""
    assert result.cpu_s is not None
    assert result.cpu_s < 1
    assert result.peak_memory_mb is not None
    assert result.peak_memory_mb < 100


def test_honest_code_using_threads_and_memory_passes(
    sandbox: Sandbox, word_count: TaskSpec, word_count_golden: Golden
) -> None:
    """Threads, 40 MB of memory and printing are not punished."""
    result = sandbox.grade(word_count, HONEST.encode(), word_count_golden)
    assert result.verdict is Verdict.PASSED, result.reason
    assert "counting" in result.stdout
    assert [t.id for t in result.tests] == list(word_count_golden.weights)


def test_faulty_loses_points_without_leaking_expected(
    sandbox: Sandbox, word_count: TaskSpec, word_count_golden: Golden
) -> None:
    """A plausible wrong submission fails some probes; messages never hold expected values."""
    result = sandbox.grade(word_count, word_count.faulty["no-lower"].encode(), word_count_golden)
    assert result.verdict is Verdict.FAILED
    assert 0 < result.score < 1
    failed = {t.id: t.message for t in result.tests if not t.passed}
    assert failed == {
        "case-folded": "returned a different result",
        "rejects-non-str": "raised AttributeError",
    }
    dumped = json.dumps(result.to_json())
    assert "TypeError" not in dumped
    assert '"a": 2' not in dumped


def test_starter_does_not_pass(
    sandbox: Sandbox, word_count: TaskSpec, word_count_golden: Golden
) -> None:
    """The starter raises NotImplementedError everywhere."""
    result = sandbox.grade(word_count, word_count.starter.encode(), word_count_golden)
    assert result.verdict is Verdict.FAILED
    assert result.score == 0
    assert {t.message for t in result.tests} == {"raised NotImplementedError"}


def test_import_error_is_an_error_with_traceback(
    sandbox: Sandbox, word_count: TaskSpec, word_count_golden: Golden
) -> None:
    """A module that raises on import gets an error verdict and its traceback."""
    result = sandbox.grade(word_count, b"import numpy\n", word_count_golden)
    assert result.verdict is Verdict.ERROR
    assert "import raised ModuleNotFoundError" in result.reason
    assert "No module named 'numpy'" in result.stderr


BAD_INPUTS = {
    "empty": (b"", "is empty"),
    "whitespace-only": (b"  \n\t\n", "is empty"),
    "invalid-utf8": (b"def count_words(t):\n    return '\xff\xfe'\n", "not valid UTF-8"),
    "nul-byte": (b"def count_words(t):\n    return {}\0\n", "NUL byte"),
    "utf16-bom": (codecs.BOM_UTF16_LE + "x = 1".encode("utf-16-le"), "UTF-16"),
    "syntax-error": (b"def count_words(t)\n    return {}\n", "syntax error at line 1"),
    "over-size": (b"#" * (256 * 1024 + 1), "over the limit of 256 KB"),
    "too-deep": (b"x = " + b"(" * 100_000 + b")" * 100_000, "solution.py"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_rejected_clearly(
    name: str, sandbox: Sandbox, word_count: TaskSpec, word_count_golden: Golden
) -> None:
    """Unusable bytes give a rejected verdict and a reason naming the file."""
    data, expected = BAD_INPUTS[name]
    result = sandbox.grade(word_count, data, word_count_golden)
    assert result.verdict is Verdict.REJECTED
    assert expected in result.reason
    assert "solution.py" in result.reason
    assert result.score == 0


def test_utf8_bom_is_accepted_with_a_note(
    sandbox: Sandbox, word_count: TaskSpec, word_count_golden: Golden
) -> None:
    """A UTF-8 byte-order mark is valid Python: graded normally, and noted."""
    data = codecs.BOM_UTF8 + word_count.reference.encode()
    result = sandbox.grade(word_count, data, word_count_golden)
    assert result.verdict is Verdict.PASSED
    assert "byte-order mark" in result.reason


def test_stale_golden_is_refused(
    sandbox: Sandbox, word_count: TaskSpec, word_count_golden: Golden
) -> None:
    """Golden observations of another task version are not used."""
    stale = Golden.from_json(word_count_golden.to_json())
    stale = Golden(stale.task, "0" * 64, stale.observations, stale.weights, 0.0)
    with pytest.raises(GoldenError, match="stale"):
        sandbox.grade(word_count, b"x = 1\n", stale)


def test_golden_round_trips(word_count_golden: Golden) -> None:
    """Golden survives JSON storage with its probe order."""
    again = Golden.from_json(word_count_golden.to_json())
    assert again == word_count_golden
    assert again.probe_ids == ["simple", "case-folded", "empty", "whitespace", "rejects-non-str"]
    assert again.weights["simple"] == 2.0


def test_samples_report_each_visible_test(sandbox: Sandbox, word_count: TaskSpec) -> None:
    """Visible tests run as plain pytest with per-test outcomes and output."""
    good = sandbox.run_samples(word_count, HONEST.encode())
    assert good.verdict is Verdict.PASSED, (good.reason, good.stdout, good.stderr)
    assert [t.id for t in good.tests] == [
        "visible_tests.py::test_simple",
        "visible_tests.py::test_empty",
    ]
    assert "counting" in good.tests[0].stdout
    bad = sandbox.run_samples(word_count, word_count.starter.encode())
    assert bad.verdict is Verdict.FAILED
    assert "NotImplementedError" in bad.tests[0].message
    assert bad.reason == "2 of 2 sample tests failed"


def test_samples_reject_bad_input(sandbox: Sandbox, word_count: TaskSpec) -> None:
    """Samples check the bytes too."""
    assert sandbox.run_samples(word_count, b"").verdict is Verdict.REJECTED


def test_samples_of_a_hanging_submission_time_out(sandbox: Sandbox, word_count: TaskSpec) -> None:
    """Sample runs are bounded as well."""
    result = sandbox.run_samples(word_count, b"import time\ntime.sleep(60)\n")
    assert result.verdict is Verdict.TIMEOUT


@pytest.fixture(scope="module")
def clamp() -> TaskSpec:
    """The write-tests fixture task."""
    return task("clamp-tests")


@pytest.fixture(scope="module")
def clamp_golden(sandbox: Sandbox, clamp: TaskSpec) -> Golden:
    """Golden of the write-tests task (the reference tests catch every bug)."""
    return sandbox.record_golden(clamp)


WRITE_TESTS = {
    "reference": None,
    "weak": (
        "from solution import clamp\n\ndef test_inside():\n    assert clamp(5, 0, 10) == 5\n",
        Verdict.FAILED,
        1 / 3,
    ),
    "always-fails": ("def test_no():\n    assert False\n", Verdict.FAILED, 0.0),
    "exit-0": ("import os\nos._exit(0)\n", Verdict.FAILED, 0.0),
    "exit-1": ("import os\nos._exit(1)\n", Verdict.FAILED, 0.0),
    "no-tests": ("x = 1\n", Verdict.FAILED, 0.0),
    "kill-harness": (
        "import os, signal\n"
        "def test_kill():\n"
        "    for sig in (signal.SIGKILL, signal.SIGTERM):\n"
        "        try:\n            os.kill(1, sig)\n        except OSError:\n            pass\n"
        "    os.kill(os.getppid(), signal.SIGKILL)\n",
        Verdict.FAILED,
        0.0,
    ),
    "peek-at-other-runs": (
        "import glob, os\n"
        "def test_peek():\n"
        "    others = [p for p in glob.glob('/tmp/run*/solution.py') if os.getcwd() not in p]\n"
        "    assert not others, others\n"
        "    assert sorted(os.listdir('.')) in (['solution.py', 'test_solution.py'],\n"
        "        ['__pycache__', 'solution.py', 'test_solution.py'])\n",
        Verdict.FAILED,
        0.0,
    ),
    "sleeps": ("import time\ndef test_slow():\n    time.sleep(60)\n", Verdict.TIMEOUT, 0.0),
}


@pytest.mark.parametrize("name", sorted(WRITE_TESTS))
def test_write_tests_scores_caught_bugs(
    name: str, sandbox: Sandbox, clamp: TaskSpec, clamp_golden: Golden
) -> None:
    """The test file must pass on the implementation; the score is the share of bugs caught."""
    case = WRITE_TESTS[name]
    source = clamp.reference if case is None else case[0]
    result = sandbox.grade(clamp, source.encode(), clamp_golden)
    if case is None:
        assert result.verdict is Verdict.PASSED, (result.reason, result.tests, result.stdout)
        assert result.score == 1.0
        assert [t.id for t in result.tests] == [
            "implementation", "buggy/no-check", "buggy/swapped", "buggy/upper-open"]  # fmt: skip
        return
    assert result.verdict is case[1], (result.reason, result.tests, result.stdout[:500])
    assert result.score == pytest.approx(case[2])
    assert result.reason


def test_write_tests_partial_credit(
    sandbox: Sandbox, clamp: TaskSpec, clamp_golden: Golden
) -> None:
    """Catching one bug of three scores a third."""
    source = "import pytest\nfrom solution import clamp\n\ndef test_bad():\n" \
             "    with pytest.raises(ValueError):\n        clamp(1, 5, 0)\n"  # fmt: skip
    result = sandbox.grade(clamp, source.encode(), clamp_golden)
    assert result.verdict is Verdict.FAILED
    assert result.score == pytest.approx(1 / 3)
    assert "caught 1 of 3" in result.reason


def test_write_tests_samples_run_against_the_implementation(
    sandbox: Sandbox, clamp: TaskSpec
) -> None:
    """Sample runs of a write-tests task run the candidate's tests on the implementation."""
    result = sandbox.run_samples(clamp, clamp.reference.encode())
    assert result.verdict is Verdict.PASSED
    assert len(result.tests) == 3


def test_optimise_enforces_the_cpu_budget(sandbox: Sandbox) -> None:
    """A correct but slow solution fails the host-measured CPU budget; the reference passes."""
    fast_sum = task("fast-sum")
    golden = sandbox.record_golden(fast_sum)
    assert golden.reference_cpu_s < 0.1
    slow = sandbox.grade(fast_sum, fast_sum.starter.encode(), golden)
    assert slow.verdict is Verdict.FAILED
    assert slow.score == 0.5
    assert "over the budget" in slow.reason
    assert slow.cpu_s is not None
    assert slow.cpu_s > 0.2
    fast = sandbox.grade(fast_sum, fast_sum.reference.encode(), golden)
    assert fast.verdict is Verdict.PASSED
    assert fast.tests[-1].id == "cpu-budget"


def test_task_limits_override_the_defaults(sandbox: Sandbox, tmp_path: Path) -> None:
    """A task with its own memory limit runs in a container with that limit."""
    folder = tmp_path / "small-memory"
    folder.mkdir()
    for item in (TASKS / "word-count").iterdir():
        if item.is_file():
            (folder / item.name).write_text(item.read_text())
    meta = (folder / "task.yaml").read_text().replace("word-count", "small-memory")
    (folder / "task.yaml").write_text(meta + "limits:\n  memory_mb: 48\n")
    from sandbox import load_task

    small = load_task(folder)
    golden = sandbox.record_golden(small)
    hog = b"def count_words(text):\n    return len(b'x' * (64 << 20))\n"
    result = sandbox.grade(small, hog, golden)
    assert result.verdict is Verdict.MEMORY_LIMIT
    assert result.peak_memory_mb is not None
    assert result.peak_memory_mb <= 49


def test_cli_grades_and_leaves_nothing(config: SandboxConfig, tmp_path: Path) -> None:
    """The CLI prints JSON with the required keys and exits 0 whatever the verdict."""
    submission = tmp_path / "solution.py"
    submission.write_text("def count_words(text):\n    return {}\n")
    code, text = grade_file(TASKS, "word-count", submission, True, config=config)
    assert code == 0, text
    data = json.loads(text)
    assert {"task", "verdict", "score", "tests", "duration_s"} <= set(data)
    assert data["verdict"] == "failed"
    code, text = grade_file(TASKS, "word-count", submission, False, config=config)
    assert code == 0
    assert "word-count: failed" in text


def test_cli_reports_missing_things(config: SandboxConfig, tmp_path: Path) -> None:
    """Unknown task or unreadable file: non-zero with the name in the message."""
    code, text = grade_file(TASKS, "no-such-task", tmp_path / "x.py", True, config=config)
    assert code == 1
    assert "no-such-task" in text
    code, text = grade_file(TASKS, "word-count", tmp_path / "missing.py", True, config=config)
    assert code == 1
    assert "missing.py" in text


def test_a_probe_timeout_stops_only_that_probe(sandbox: Sandbox) -> None:
    """A probe's own timeout ends it; the probes after it still run."""
    slow_probe = task("slow-probe")
    golden = sandbox.record_golden(slow_probe)
    hangs = (
        "import asyncio, time\n"
        "async def echo(value, delay=0.0):\n"
        "    if value == 'b':\n"
        "        time.sleep(60)\n"
        "    return value\n"
    )
    started = time.monotonic()
    result = sandbox.grade(slow_probe, hangs.encode(), golden)
    assert time.monotonic() - started < 2.5
    assert result.verdict is Verdict.TIMEOUT
    assert [(t.id, t.passed, t.message) for t in result.tests] == [
        ("quick", True, "ok"),
        ("bounded", False, "timed out"),
        ("after", True, "ok"),
    ]
    assert result.score == pytest.approx(2 / 3)


def test_write_tests_output_never_shows_the_buggy_implementations(
    sandbox: Sandbox, clamp: TaskSpec, clamp_golden: Golden
) -> None:
    """Only the run against the correct implementation shows its output."""
    leak = "def test_leak():\n    assert False, open('solution.py').read()\n"
    result = sandbox.grade(clamp, leak.encode(), clamp_golden)
    assert result.verdict is Verdict.FAILED
    assert "lo > hi" in result.stdout
    assert "hi - 1" not in result.stdout
    assert "min(lo, max(x, hi))" not in result.stdout


BANK = Path(__file__).parents[3] / "challenges" / "tasks"


def test_cli_grades_the_bank_word_frequency_task(config: SandboxConfig) -> None:
    """The bank's first task: its reference earns full marks through the CLI."""
    if not (BANK / "word-frequency" / "task.yaml").is_file():
        pytest.skip("the bank has no word-frequency task yet")
    reference = BANK / "word-frequency" / "reference.py"
    code, text = grade_file(BANK, "word-frequency", reference, True, config=config)
    assert code == 0, text
    data = json.loads(text)
    assert data["verdict"] == "passed", data["reason"]
    assert data["score"] == 1.0
