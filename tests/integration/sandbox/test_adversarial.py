"""Hostile submissions against the real engine: none passes, each ends in bounded time
with the expected verdict, and nothing is left running."""

from __future__ import annotations

import os
import textwrap
import time
from dataclasses import dataclass

import docker
import pytest

from sandbox import Golden, Sandbox, SandboxConfig, TaskSpec, Verdict
from sandbox.container import list_runners

pytestmark = pytest.mark.docker

CANARY = "canary-7f3a9c-host-secret"
WRONG = "\ndef count_words(text):\n    return None\n"


@dataclass(frozen=True)
class Case:
    """A hostile submission and what grading it must give."""

    source: str
    verdict: Verdict
    stdout_has: tuple[str, ...] = ()
    stdout_lacks: tuple[str, ...] = (CANARY,)
    max_seconds: float = 8.0
    flagged: bool = False


def body(code: str) -> str:
    """Dedent a submission."""
    return textwrap.dedent(code).lstrip("\n")


CASES: dict[str, Case] = {
    "fork-bomb": Case(
        body("""
        import os
        def count_words(text):
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
        """),
        Verdict.TIMEOUT,
    ),
    "memory-bomb": Case(
        body("""
        def count_words(text):
            hog = b"x" * (1 << 30)
            return {"hog": len(hog)}
        """),
        Verdict.MEMORY_LIMIT,
    ),
    "memory-bomb-children": Case(
        body("""
        import os, time
        def count_words(text):
            for _ in range(8):
                if os.fork() == 0:
                    block = bytearray(40 << 20)
                    for i in range(0, len(block), 4096):
                        block[i] = 1
                    time.sleep(60)
            time.sleep(2)
            return None
        """),
        Verdict.MEMORY_LIMIT,
    ),
    "cpu-spin": Case(
        body("""
        def count_words(text):
            while True:
                pass
        """),
        Verdict.TIMEOUT,
    ),
    "sleep-forever": Case(
        body("""
        import time
        def count_words(text):
            time.sleep(10 ** 6)
        """),
        Verdict.TIMEOUT,
    ),
    "sigterm-ignored": Case(
        body("""
        import signal, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        def count_words(text):
            while True:
                time.sleep(1)
        """),
        Verdict.TIMEOUT,
    ),
    "endless-output": Case(
        body("""
        import sys
        def count_words(text):
            while True:
                sys.stdout.write("spam " * 1000)
        """),
        Verdict.OUTPUT_LIMIT,
    ),
    "endless-stderr-at-import": Case(
        body("""
        import os
        while True:
            os.write(2, b"noise" * 4096)
        """),
        Verdict.OUTPUT_LIMIT,
    ),
    "giant-return-value": Case(
        body("""
        def count_words(text):
            return "x" * (20 * 1024 * 1024)
        """),
        Verdict.FAILED,
    ),
    "giant-nested-return": Case(
        body("""
        def count_words(text):
            value = []
            for _ in range(200):
                value = [value]
            return value
        """),
        Verdict.FAILED,
    ),
    "disk-fill": Case(
        body("""
        def count_words(text):
            for path in ("/tmp/fill", "/fill", "/opt/harness/fill", "/dev/shm/fill"):
                try:
                    with open(path, "wb") as fh:
                        while True:
                            fh.write(b"x" * (1 << 20))
                except OSError as exc:
                    print(path, exc.strerror)
            return None
        """),
        Verdict.FAILED,
        stdout_has=("No space left", "Read-only file system"),
    ),
    "daemon-outlives-run": Case(
        body("""
        import os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                while True:
                    time.sleep(0.1)
                    print("still here", flush=True)
            os._exit(0)
        def count_words(text):
            return None
        """),
        Verdict.FAILED,
        max_seconds=6.0,
    ),
    "kill-parent": Case(
        body("""
        import os, signal
        for pid in (os.getppid(), 1):
            for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGSTOP, signal.SIGINT):
                try:
                    os.kill(pid, sig)
                except OSError as exc:
                    print("kill", pid, sig, exc.strerror)
        def count_words(text):
            return None
        """),
        Verdict.FAILED,
    ),
    "thread-bomb": Case(
        body("""
        import threading, time
        def count_words(text):
            started = 0
            try:
                while True:
                    threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
                    started += 1
            except RuntimeError:
                print("threads stopped at", started)
            return None
        """),
        Verdict.FAILED,
        stdout_has=("threads stopped at",),
    ),
    "deep-recursion": Case(
        body("""
        import sys
        sys.setrecursionlimit(10 ** 8)
        def count_words(text, depth=0):
            return count_words(text, depth + 1)
        """),
        Verdict.MEMORY_LIMIT,
    ),
    "fd-exhaustion": Case(
        body("""
        import os
        def count_words(text):
            fds = []
            try:
                while True:
                    fds.append(os.open("/dev/null", os.O_RDONLY))
            except OSError as exc:
                print("fds", len(fds), exc.strerror)
            return None
        """),
        Verdict.FAILED,
        stdout_has=("Too many open files",),
    ),
    "network-egress": Case(
        body("""
        import socket
        def count_words(text):
            for address in (("1.1.1.1", 80), ("172.17.0.1", 2375), ("10.0.0.1", 443)):
                try:
                    socket.create_connection(address, timeout=1).close()
                    print("CONNECTED", address)
                except OSError as exc:
                    print("no route", exc)
            return None
        """),
        Verdict.FAILED,
        stdout_lacks=("CONNECTED", CANARY),
    ),
    "dns-egress": Case(
        body("""
        import socket
        def count_words(text):
            try:
                print("RESOLVED", socket.getaddrinfo("example.com", 80))
            except OSError as exc:
                print("no dns", exc)
            return None
        """),
        Verdict.FAILED,
        stdout_has=("no dns",),
        stdout_lacks=("RESOLVED",),
    ),
    "env-secrets": Case(
        body("""
        import os
        def count_words(text):
            print(dict(os.environ))
            for pid in ("self", "1"):
                try:
                    print(open(f"/proc/{pid}/environ").read())
                except OSError as exc:
                    print(pid, exc.strerror)
            return None
        """),
        Verdict.FAILED,
    ),
    "proc-snooping": Case(
        body("""
        import os
        def count_words(text):
            for path in ("/proc/1/fd", "/proc/1/mem", "/proc/1/maps", "/proc/1/cmdline",
                         "/var/run/docker.sock", "/run/docker.sock", "/etc/shadow"):
                try:
                    if os.path.isdir(path):
                        print(path, os.listdir(path))
                    else:
                        print(path, open(path, "rb").read(200))
                except OSError as exc:
                    print(path, "denied", exc.strerror)
            print("uid", os.getuid(), open("/proc/self/status").read().split("CapEff:")[1][:20])
            return None
        """),
        Verdict.FAILED,
        stdout_has=("/proc/1/fd denied", "uid 10001", "0000000000000000"),
    ),
    "read-test-files": Case(
        body("""
        import os
        def count_words(text):
            print(sorted(os.listdir("/tmp/work")))
            for path in ("/tmp/work/probes.py", "/tmp/probes.py"):
                try:
                    print(open(path).read())
                except OSError as exc:
                    print(path, exc.strerror)
            return None
        """),
        Verdict.FAILED,
        stdout_has=("['solution.py']",),
    ),
    "rewrite-harness": Case(
        body("""
        import os
        def count_words(text):
            for path in ("/opt/harness/probekit.py", "/opt/harness/runner.py"):
                try:
                    open(path, "w").write("PROBES = []")
                except OSError as exc:
                    print(path, exc.strerror)
            return None
        """),
        Verdict.FAILED,
        stdout_has=("Read-only file system",),
    ),
    "drop-conftest": Case(
        body("""
        for where in ("/tmp/work/conftest.py", "/tmp/conftest.py"):
            open(where, "w").write(
                "import pytest\\n"
                "@pytest.hookimpl(hookwrapper=True)\\n"
                "def pytest_runtest_makereport(item, call):\\n"
                "    outcome = yield\\n"
                "    outcome.get_result().outcome = 'passed'\\n"
            )
        def count_words(text):
            return None
        """),
        Verdict.FAILED,
    ),
    "exit-0-early": Case(
        body("""
        import os
        os._exit(0)
        """),
        Verdict.ERROR,
    ),
    "sys-exit-at-import": Case(
        body("""
        import sys
        sys.exit(0)
        """),
        Verdict.ERROR,
    ),
    "exit-0-in-probe": Case(
        body("""
        import os
        def count_words(text):
            os._exit(0)
        """),
        Verdict.FAILED,
    ),
    "fake-pytest-summary": Case(
        body("""
        print("=" * 20 + " 5 passed in 0.01s " + "=" * 20)
        print('{"verdict": "passed", "score": 1.0}')
        def count_words(text):
            print("PASSED")
            return None
        """),
        Verdict.FAILED,
    ),
    "forged-result-lines": Case(
        body("""
        import os
        def count_words(text):
            for fd in range(3, 64):
                for line in (b'{"id": "simple", "obs": {"dict": [["a", 1]]}}\\n',
                             b'{"phase": "end"}\\n', b'not json\\n'):
                    try:
                        os.write(fd, line)
                    except OSError:
                        pass
            return None
        """),
        Verdict.FAILED,
    ),
    "forged-report-channel": Case(
        body("""
        import json, os
        report = {"v": 1, "mode": "probes", "state": "done", "events": [],
                  "stdout": "", "stderr": "", "probes": []}
        for path in ("/proc/1/fd/1", "/proc/self/fd/1", "/tmp/report.json"):
            try:
                with open(path, "w") as fh:
                    fh.write(json.dumps(report) + "\\n")
            except OSError as exc:
                print(path, exc.strerror)
        def count_words(text):
            return None
        """),
        Verdict.FAILED,
        stdout_has=("/proc/1/fd/1 Permission denied",),
    ),
    "patch-pytest-reporting": Case(
        body("""
        import _pytest.reports, _pytest.runner
        _pytest.reports.TestReport.passed = property(lambda self: True)
        _pytest.runner.call_and_report = lambda *a, **k: None
        def count_words(text):
            return None
        """),
        Verdict.FAILED,
        flagged=True,
    ),
    "patch-probekit": Case(
        body("""
        import sys
        kit = sys.modules["probekit"]
        kit.observe = lambda fn, module: {"dict": []}
        kit.encode = lambda value, depth=0: value
        def count_words(text):
            return None
        """),
        Verdict.FAILED,
        flagged=True,
    ),
    "skip-all-tests": Case(
        body("""
        import pytest
        pytest.skip("nothing to see", allow_module_level=True)
        """),
        Verdict.ERROR,
        flagged=True,
    ),
    "always-equal-object": Case(
        body("""
        class Anything(dict):
            def __eq__(self, other):
                return True
            def __ne__(self, other):
                return False
            __hash__ = None
        def count_words(text):
            return Anything()
        """),
        Verdict.FAILED,
        flagged=True,
    ),
    "always-equal-str": Case(
        body("""
        class Sneaky(str):
            def __eq__(self, other):
                return True
        def count_words(text):
            raise type("TypeError", (Exception,), {})("not really")
        """),
        Verdict.FAILED,
        flagged=True,
    ),
    "memory-scan-for-expected": Case(
        body("""
        import gc, sys
        def count_words(text):
            found = [o for o in gc.get_objects() if isinstance(o, dict) and "simple" in o]
            frame = sys._getframe(1)
            while frame is not None:
                print(sorted(frame.f_locals)[:5])
                frame = frame.f_back
            return found[0] if found else None
        """),
        Verdict.FAILED,
        flagged=True,
    ),
    "patch-builtins": Case(
        body("""
        import builtins
        builtins.isinstance = lambda *args: True
        builtins.type = lambda *args: dict
        def count_words(text):
            return None
        """),
        Verdict.ERROR,
        flagged=True,
    ),
    "patch-os-exit": Case(
        body("""
        import os
        os._exit = lambda code: None
        def count_words(text):
            return None
        """),
        Verdict.FAILED,
        flagged=True,
    ),
    "privilege-escalation": Case(
        body("""
        import os
        def count_words(text):
            for attempt in (lambda: os.setuid(0), lambda: os.chroot("/"),
                            lambda: os.mknod("/tmp/dev", 0o600 | 0o020000, os.makedev(1, 3))):
                try:
                    attempt()
                    print("ESCALATED")
                except OSError as exc:
                    print("refused", exc.strerror)
            return None
        """),
        Verdict.FAILED,
        stdout_lacks=("ESCALATED",),
    ),
    "exec-binary-from-tmp": Case(
        body("""
        import os, shutil, subprocess
        def count_words(text):
            shutil.copy("/bin/true", "/tmp/true")
            os.chmod("/tmp/true", 0o755)
            try:
                subprocess.run(["/tmp/true"], check=True)
                print("EXECUTED")
            except OSError as exc:
                print("noexec", exc.strerror)
            return None
        """),
        Verdict.FAILED,
        stdout_lacks=("EXECUTED",),
    ),
    "import-time-spin": Case(
        body("""
        while True:
            pass
        """),
        Verdict.TIMEOUT,
    ),
    "segfault": Case(
        body("""
        import ctypes
        def count_words(text):
            ctypes.string_at(0)
        """),
        Verdict.FAILED,
        flagged=True,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_submission_never_passes(
    name: str,
    sandbox: Sandbox,
    word_count: TaskSpec,
    word_count_golden: Golden,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each hostile submission gets its expected verdict in bounded time, harmlessly."""
    monkeypatch.setenv("ASSESS_CANARY_SECRET", CANARY)
    case = CASES[name]
    started = time.monotonic()
    result = sandbox.grade(word_count, case.source.encode(), word_count_golden)
    elapsed = time.monotonic() - started
    assert result.verdict is case.verdict, (result.verdict, result.reason, result.stdout[:500])
    assert result.verdict is not Verdict.PASSED
    assert result.score < 1.0
    assert result.reason
    assert elapsed < case.max_seconds
    for text in case.stdout_has:
        assert text in result.stdout, result.stdout[:2000]
    for text in case.stdout_lacks:
        assert text not in result.stdout + result.stderr
    if case.flagged:
        assert result.flags
    assert CANARY in os.environ["ASSESS_CANARY_SECRET"]


def test_nothing_left_running(
    sandbox: Sandbox, config: SandboxConfig, docker_client: docker.DockerClient
) -> None:
    """After the hostile runs, only the pool's idle spares remain (at most pool_size).

    The engine removes a killed runner on its own time, slower on a loaded machine, so
    the pool settles first and the engine gets a generous while; a leak never clears."""
    assert sandbox.pool.settle(60)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(list_runners(docker_client, config.owner)) <= config.pool_size:
            break
        time.sleep(0.2)
    left = list_runners(docker_client, config.owner)
    assert len(left) <= config.pool_size, [(item["Names"], item["Status"]) for item in left]
