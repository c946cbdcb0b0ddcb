"""More hostile submissions: write-tests files that tell the runs apart instead of testing,
and probe results that would confuse the host's comparison or parser."""

from __future__ import annotations

import ast
import hashlib
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import docker
import pytest

from sandbox import Golden, RunResult, Sandbox, TaskSpec, Verdict
from sandbox.container import list_runners

from .helpers import task

pytestmark = pytest.mark.docker


def body(code: str) -> str:
    """Dedent a submission."""
    return textwrap.dedent(code).lstrip("\n")


@pytest.fixture(scope="module")
def clamp() -> TaskSpec:
    """The write-tests fixture task."""
    return task("clamp-tests")


@pytest.fixture(scope="module")
def clamp_golden(sandbox: Sandbox, clamp: TaskSpec) -> Golden:
    """Golden of the write-tests task."""
    return sandbox.record_golden(clamp)


def marker_test(check: str, leave: str) -> str:
    """A test file that passes on the first run and fails on every later one: it
    looks for a note (``check``) that the first run left (``leave``)."""
    return body(f"""
    import ctypes, os
    def noted():
        {check}
    def note():
        {leave}
    def test_first_run_only():
        assert not noted()
        note()
    """)


# Each test file tries to pass on the correct implementation and fail on the bugs
# without testing clamp's behaviour; all of them must score 0.
DISTINGUISHERS: dict[str, str] = {
    "run-directory-name": body("""
        import os
        def test_position():
            assert os.path.basename(os.getcwd()) in ("run0", "run")
            assert os.getcwd().endswith("0")
        """),
    "note-in-tmp": marker_test(
        "return os.path.exists('/tmp/seen')", "open('/tmp/seen', 'w').close()"
    ),
    "note-in-dev-shm": marker_test(
        "return os.path.exists('/dev/shm/seen')", "open('/dev/shm/seen', 'w').close()"
    ),
    "note-in-mqueue": marker_test(
        "return os.path.exists('/dev/mqueue/seen')", "open('/dev/mqueue/seen', 'w').close()"
    ),
    "note-in-locked-dir": marker_test(
        "return os.path.exists('/tmp/lock/seen') or os.path.isdir('/tmp/lock')",
        "os.makedirs('/tmp/lock'); open('/tmp/lock/seen', 'w').close(); os.chmod('/tmp/lock', 0)",
    ),
    "note-in-sysv-shm": marker_test(
        "return ctypes.CDLL(None).shmget(0x5eed, 4096, 0o600) >= 0",
        "assert ctypes.CDLL(None).shmget(0x5eed, 4096, 0o1600) >= 0",
    ),
}


@pytest.mark.parametrize("name", sorted(DISTINGUISHERS))
def test_write_tests_cannot_tell_the_runs_apart(
    name: str, sandbox: Sandbox, clamp: TaskSpec, clamp_golden: Golden
) -> None:
    """Runs come in a random order, in the same directory, with nothing left by the last."""
    result = sandbox.grade(clamp, DISTINGUISHERS[name].encode(), clamp_golden)
    assert result.verdict is not Verdict.PASSED
    assert result.score == 0.0, (result.reason, result.tests, result.stdout[:800])


def test_write_tests_cannot_recognise_the_implementation_by_its_bytes(
    sandbox: Sandbox, clamp: TaskSpec, clamp_golden: Golden
) -> None:
    """The candidate can see the implementation; a digest of it no longer matches."""
    digest = hashlib.sha256(clamp.implementation.encode()).hexdigest()
    source = body(f"""
        import hashlib, solution
        def test_is_the_known_implementation():
            data = open(solution.__file__, "rb").read()
            assert hashlib.sha256(data).hexdigest() == {digest!r}
        """)
    samples = sandbox.run_samples(clamp, source.encode())
    assert samples.verdict is Verdict.PASSED, (samples.reason, samples.stdout[:500])
    result = sandbox.grade(clamp, source.encode(), clamp_golden)
    assert result.score == 0.0, (result.reason, result.tests)
    assert any("module's file" in flag for flag in result.flags), result.flags


def test_write_tests_reference_still_earns_full_marks_repeatedly(
    sandbox: Sandbox, clamp: TaskSpec, clamp_golden: Golden
) -> None:
    """Disguised implementations in a random order leave honest tests unaffected."""
    for _ in range(3):
        result = sandbox.grade(clamp, clamp.reference.encode(), clamp_golden)
        assert result.verdict is Verdict.PASSED, (result.reason, result.tests)
        assert [t.id for t in result.tests] == [
            "implementation", "buggy/no-check", "buggy/swapped", "buggy/upper-open"]  # fmt: skip


def test_probe_values_must_have_the_exact_types(
    sandbox: Sandbox, word_count: TaskSpec, word_count_golden: Golden
) -> None:
    """Counting in floats (1.0 for 1) or booleans is not the right answer."""
    floats = body("""
        def count_words(text):
            if not isinstance(text, str):
                raise TypeError("text must be a str")
            counts = {}
            for word in text.lower().split():
                counts[word] = counts.get(word, 0.0) + 1.0
            return counts
        """)
    result = sandbox.grade(word_count, floats.encode(), word_count_golden)
    assert result.verdict is Verdict.FAILED, (result.reason, result.tests)
    assert {t.id for t in result.tests if t.passed} == {"empty", "rejects-non-str"}


def _deep(depth: int, call: Callable[[], RunResult]) -> RunResult:
    """Call ``call`` from ``depth`` frames down, as a web or queue worker would."""
    return _deep(depth - 1, call) if depth else call()


def test_deeply_nested_forged_results_do_not_crash_the_host(
    sandbox: Sandbox, word_count: TaskSpec, word_count_golden: Golden
) -> None:
    """A result line nested 900 deep must not raise RecursionError in the grader."""
    nested = "[" * 900 + "]" * 900
    source = body(f"""
        import os
        LINE = ('{{"id": "simple", "obs": {nested}}}\\n').encode()
        def count_words(text):
            for fd in range(3, 32):
                try:
                    os.write(fd, LINE)
                except OSError:
                    pass
            return None
        """)
    result = _deep(150, lambda: sandbox.grade(word_count, source.encode(), word_count_golden))
    assert result.verdict is not Verdict.PASSED
    assert result.score == 0.0
    simple = next(t for t in result.tests if t.id == "simple") if result.tests else None
    assert simple is None or not simple.passed


def test_deeply_nested_forged_sample_lines_do_not_crash_the_host(
    sandbox: Sandbox, word_count: TaskSpec
) -> None:
    """Sample runs are the candidate's to trigger: a deep forged line must not crash them."""
    nested = "[" * 900 + "]" * 900
    source = body(f"""
        import os
        LINE = ('{{"test": "forged", "outcome": {nested}, "message": ""}}\\n').encode()
        for fd in range(3, 32):
            try:
                os.write(fd, LINE)
            except OSError:
                pass
        def count_words(text):
            return None
        """)
    result = _deep(150, lambda: sandbox.run_samples(word_count, source.encode()))
    assert result.verdict is not Verdict.PASSED
    assert all(t.id != "forged" or not t.passed for t in result.tests)


def test_hidden_variants_defeat_recognising_the_implementation_by_its_syntax(
    sandbox: Sandbox,
) -> None:
    """An attacker who knows the disguise compares syntax trees; a hidden variant fails that."""
    spec = task("clamp-variants")
    golden = sandbox.record_golden(spec)
    known = ast.dump(ast.parse(spec.implementation))
    source = body(f"""
        import ast
        def test_is_the_known_implementation():
            assert ast.dump(ast.parse(open("solution.py").read())) == {known!r}
        """)
    result = sandbox.grade(spec, source.encode(), golden)
    assert result.score == 0.0, (result.reason, result.tests)
    assert [t.id for t in result.tests][:2] == ["implementation", "variant/branches"]
    honest = sandbox.grade(spec, spec.reference.encode(), golden)
    assert honest.verdict is Verdict.PASSED, (honest.reason, honest.tests)


KILLED_HOST = """
import os, sys, threading
sys.path.insert(0, {root!r})
from sandbox import Sandbox, SandboxConfig
from tests.integration.sandbox.helpers import TEST_LIMITS, task
spec = task("word-count")
box = Sandbox(SandboxConfig(image={image!r}, pool_size=2, limits=TEST_LIMITS))
box.pool.settle()
spin = b"def count_words(text):\\n    while True:\\n        pass\\n"
threading.Thread(target=box.run_samples, args=(spec, spin), daemon=True).start()
print(box.config.owner, flush=True)
threading.Event().wait(60)
"""


def test_a_host_killed_mid_run_leaves_no_container(
    image: str, docker_client: docker.DockerClient
) -> None:
    """Spares and a runner busy with a hostile job all go once the grading process dies."""
    root = str(Path(__file__).parents[3])
    script = KILLED_HOST.format(root=root, image=image)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        owner = proc.stdout.readline().strip()
        time.sleep(0.5)  # the spin job is running now
        assert len(list_runners(docker_client, owner)) >= 2
    finally:
        proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    deadline = time.monotonic() + 15
    while list_runners(docker_client, owner) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert list_runners(docker_client, owner) == []


def test_unhashable_forged_probe_starts_do_not_break_the_harness(
    sandbox: Sandbox, word_count: TaskSpec, word_count_golden: Golden
) -> None:
    """A forged ``start`` line naming a list is ignored: an ordinary failure, not a crash."""
    source = body("""
        import os
        def count_words(text):
            for fd in range(3, 32):
                try:
                    os.write(fd, b'{"start": [1]}\\n{"start": {"a": 1}}\\n')
                except OSError:
                    pass
            raise SystemExit(3)
        """)
    result = sandbox.grade(word_count, source.encode(), word_count_golden)
    assert result.verdict is Verdict.FAILED, (result.verdict, result.reason)
    assert result.score == 0.0


def test_system_v_shared_memory_cannot_pin_memory_past_the_harness(
    sandbox: Sandbox, word_count: TaskSpec, word_count_golden: Golden
) -> None:
    """Segments outlive the processes that made them: the harness frees them after each
    child, so it survives to report a memory limit instead of dying without a report."""
    source = body("""
        import ctypes
        libc = ctypes.CDLL(None)
        libc.shmat.restype = ctypes.c_void_p
        def count_words(text):
            for key in range(64):
                ident = libc.shmget(1000 + key, 16 << 20, 0o1600)
                if ident < 0:
                    break
                ctypes.memset(libc.shmat(ident, None, 0), 1, 16 << 20)
            return None
        """)
    result = sandbox.grade(word_count, source.encode(), word_count_golden)
    assert result.verdict is Verdict.MEMORY_LIMIT, (result.verdict, result.reason)
    assert result.score == 0.0
