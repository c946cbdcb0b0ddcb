"""Correct code that checks the sandbox's promises from inside keeps full marks on every
kind of run (graded probes, sample tests, write-tests), on warm spares and on fresh
runners alike: a promise that holds only on some runs would cost an honest candidate."""

from __future__ import annotations

import textwrap
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from sandbox import Golden, Sandbox, TaskSpec, Verdict

from .helpers import task

pytestmark = pytest.mark.docker

# Each check raises AssertionError naming the promise it found broken.
CHECKS = textwrap.dedent("""
    import os, resource, socket

    ALLOWED_ENVIRONMENT = {"PATH", "LANG", "HOME", "PYTHONDONTWRITEBYTECODE"}

    def _status():
        lines = open("/proc/self/status").read().splitlines()
        return dict(line.split(":", 1) for line in lines if ":" in line)

    def _cgroup(*names):
        for name in names:
            try:
                return open(name).read().strip()
            except OSError:
                pass
        return None

    def check_promises(work, extra_environment=()):
        status = _status()
        assert os.getuid() != 0 and os.geteuid() != 0 and os.getgid() != 0, "unprivileged"
        for field in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
            assert int(status[field].strip(), 16) == 0, "no capabilities: " + field
        assert status["NoNewPrivs"].strip() == "1", "no-new-privileges"
        interfaces = [line.split(":")[0].strip()
                      for line in open("/proc/net/dev").read().splitlines()[2:]]
        assert interfaces == ["lo"], "no network: " + ",".join(interfaces)
        probe = socket.socket()
        probe.settimeout(0.5)
        try:
            probe.connect(("192.0.2.1", 80))
            raise AssertionError("no network: connected")
        except OSError:
            pass
        finally:
            probe.close()
        names = set(os.environ) - set(extra_environment)
        assert names == ALLOWED_ENVIRONMENT, "no host environment: " + ",".join(sorted(names))
        assert socket.gethostname() == "sandbox", "no host identity: " + socket.gethostname()
        for path in ("/var/run/docker.sock", "/run/docker.sock"):
            assert not os.path.exists(path), "no Docker socket"
        for path in ("/probe", "/usr/probe", "/etc/probe", "/opt/harness/probe"):
            try:
                open(path, "w").close()
                raise AssertionError("read-only root: " + path)
            except OSError:
                pass
        assert resource.getrlimit(resource.RLIMIT_NOFILE)[1] <= 4096, "nofile limit"
        memory = _cgroup("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory.max")
        assert memory not in (None, "max") and int(memory) < 1 << 32, "memory limit"
        pids = _cgroup("/sys/fs/cgroup/pids/pids.max", "/sys/fs/cgroup/pids.max")
        assert pids not in (None, "max"), "pids limit"
        quota = _cgroup("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu.max")
        assert quota is not None and quota.split()[0] not in ("-1", "max"), "cpu limit"
        assert sorted(os.listdir("/tmp")) == [work], "fresh filesystem: " + str(os.listdir("/tmp"))
        assert os.listdir("/dev/shm") == [], "fresh /dev/shm"
""")

COUNT_WORDS = textwrap.dedent('''
    def count_words(text):
        """Return a dict mapping each lower-cased word to its count."""
        if not isinstance(text, str):
            raise TypeError("text must be a str")
        counts = {}
        for word in text.lower().split():
            counts[word] = counts.get(word, 0) + 1
        return counts
''')

# Checked at import: a broken promise is an import error, so the run loses every mark.
CHECKED_SOLUTION = CHECKS + "\ncheck_promises('work')\n" + COUNT_WORDS


def checked_test_file(reference: str) -> str:
    """The fixture's correct test file with a first test that checks every promise."""
    return (
        reference
        + "\n\n"
        + f"PROMISES = {CHECKS!r}\n"
        + "def test_the_sandbox_keeps_its_promises():\n"
        + "    namespace = {}\n"
        + "    exec(compile(PROMISES, 'promises', 'exec'), namespace)\n"
        + "    namespace['check_promises']('run', extra_environment={'PYTEST_CURRENT_TEST'})\n"
    )


def test_graded_runs_keep_every_promise_on_spares_and_fresh_runners(
    sandbox: Sandbox, word_count: TaskSpec, word_count_golden: Golden
) -> None:
    """Graded probes: full marks on every run, concurrently (spares) and with limits that
    no spare has (a runner started for the job)."""
    fresh = replace(word_count, limits=replace(word_count.limits, memory_mb=144))
    jobs = [word_count] * 4 + [fresh] * 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(
            pool.map(lambda t: sandbox.grade(t, CHECKED_SOLUTION.encode(), word_count_golden), jobs)
        )
    for result in results:
        assert result.verdict is Verdict.PASSED, (result.reason, result.stderr[-800:])
        assert result.score == 1.0


def test_sample_runs_keep_every_promise(sandbox: Sandbox, word_count: TaskSpec) -> None:
    """Sample tests: the checks run at import under pytest and every sample still passes."""
    for _ in range(3):
        result = sandbox.run_samples(word_count, CHECKED_SOLUTION.encode())
        assert result.verdict is Verdict.PASSED, (result.reason, result.stdout[-1500:])


def test_write_tests_runs_keep_every_promise(sandbox: Sandbox) -> None:
    """Write-tests: a correct test file that also checks the promises catches every bug."""
    clamp = task("clamp-tests")
    golden = sandbox.record_golden(clamp)
    for _ in range(2):
        result = sandbox.grade(clamp, checked_test_file(clamp.reference).encode(), golden)
        assert result.verdict is Verdict.PASSED, (result.reason, result.stdout[-1500:])
        assert result.score == 1.0


def test_pad_runs_keep_every_promise(sandbox: Sandbox, word_count: TaskSpec) -> None:
    """A live interview's ``python main.py`` run keeps the same promises."""
    source = CHECKS + "\ncheck_promises('work')\nprint('promises kept')\n"
    result = sandbox.run_files(word_count, {"main.py": source}, "main.py")
    assert result.verdict is Verdict.PASSED, (result.reason, result.stderr[-800:])
    assert "promises kept" in result.stdout
