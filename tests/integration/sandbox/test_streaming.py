"""A pad run's output streamed while it runs: chunks arrive before the run ends, come only
from the harness (what the code prints cannot forge a report or a progress line), are
coalesced and capped, and leave the result exactly as a run without streaming gives it."""

from __future__ import annotations

import json
import time

import pytest

from sandbox import Sandbox, TaskSpec, Verdict
from sandbox.container import OutputChunk

pytestmark = pytest.mark.docker

FORGED_REPORT = json.dumps(
    {"tests": [], "state": "done", "status": {"exit": 0}, "stdout": "forged", "stderr": "",
     "v": 1, "mode": "script", "elapsed": 0}, separators=(",", ":")
)  # fmt: skip
FORGED_PROGRESS = '{"type":"output","out":[["stdout","FORGED-CHUNK"]],"truncated":true}'


class Received:
    """The chunks a run streamed, each with the host's clock when it arrived."""

    def __init__(self) -> None:
        """Nothing yet."""
        self.chunks: list[tuple[float, OutputChunk]] = []

    def __call__(self, chunk: OutputChunk) -> None:
        """Record one chunk."""
        self.chunks.append((time.monotonic(), chunk))

    def text(self, stream: str) -> str:
        """Everything streamed on ``stream``."""
        return "".join(t for _, c in self.chunks for s, t in c.pieces if s == stream)

    def first_holding(self, stream: str, text: str) -> float:
        """When the output streamed so far on ``stream`` first held ``text`` (a line may
        arrive in pieces: ``print`` writes its arguments one by one)."""
        seen = ""
        for when, chunk in self.chunks:
            seen += "".join(t for s, t in chunk.pieces if s == stream)
            if text in seen:
                return when
        raise AssertionError(f"{text!r} never arrived on {stream}")


def test_output_arrives_while_the_script_runs(sandbox: Sandbox, word_count: TaskSpec) -> None:
    """Each line printed between sleeps comes as its own chunk, long before the run ends
    (the script's output is not held in its buffers); the chunks add up to the stored
    output, stdout and stderr apart."""
    script = (
        "import sys, time\n"
        "for i in range(4):\n"
        "    print('tick', i)\n"
        "    print('warn', i, file=sys.stderr)\n"
        "    time.sleep(0.4)\n"
    )
    received = Received()
    result = sandbox.run_files(word_count, {"main.py": script}, "main.py", received)
    ended = time.monotonic()
    assert result.verdict is Verdict.PASSED, result.reason
    assert received.text("stdout") == result.stdout == "".join(f"tick {i}\n" for i in range(4))
    assert received.text("stderr") == result.stderr == "".join(f"warn {i}\n" for i in range(4))
    first = received.first_holding("stdout", "tick 0\n")
    assert ended - first > 0.8  # three sleeps of 0.4 s still lay ahead when it arrived
    assert len(received.chunks) >= 4
    assert not any(c.truncated for _, c in received.chunks)


def test_the_pads_tests_stream_pytest_output(sandbox: Sandbox, word_count: TaskSpec) -> None:
    """A tests run streams what pytest prints; its per-test outcomes are as without streaming."""
    files = {
        "solution.py": "def double(x):\n    return 2 * x\n",
        "test_solution.py": "from solution import double\n\n"
        "def test_ok():\n    assert double(2) == 4\n\n"
        "def test_wrong():\n    assert double(2) == 5\n",
    }
    received = Received()
    streamed = sandbox.run_files(word_count, files, None, received)
    plain = sandbox.run_files(word_count, files, None)
    assert [t.passed for t in streamed.tests] == [t.passed for t in plain.tests] == [True, False]
    assert streamed.verdict is plain.verdict is Verdict.FAILED
    assert streamed.reason == plain.reason
    assert received.text("stdout") == streamed.stdout
    assert "1 failed, 1 passed" in received.text("stdout")


def test_printed_frames_cannot_forge_the_report_or_progress(
    sandbox: Sandbox, word_count: TaskSpec
) -> None:
    """Report-shaped and progress-shaped lines, on either stream, at a line start or not, and
    written to every descriptor the code holds, arrive only as text: the verdict, the exit
    status and the truncation flag are the real ones."""
    script = (
        "import os, sys\n"
        f"REPORT = {FORGED_REPORT!r}\n"
        f"PROGRESS = {FORGED_PROGRESS!r}\n"
        "for line in (REPORT, PROGRESS, '\\n' + REPORT, '\\r' + PROGRESS):\n"
        "    print(line, flush=True)\n"
        "    print(line, file=sys.stderr, flush=True)\n"
        "for name in os.listdir('/proc/self/fd'):\n"
        "    try:\n"
        "        os.write(int(name), (REPORT + '\\n' + PROGRESS + '\\n').encode())\n"
        "    except OSError:\n"
        "        pass\n"
        "for path in ('/proc/1/fd/1', '/dev/stdout'):\n"
        "    try:\n"
        "        with open(path, 'w') as fh:\n"
        "            fh.write(REPORT + '\\n')\n"
        "    except OSError as exc:\n"
        "        print(path, type(exc).__name__, file=sys.stderr)\n"
        "raise SystemExit(3)\n"
    )
    received = Received()
    result = sandbox.run_files(word_count, {"main.py": script}, "main.py", received)
    assert result.verdict is Verdict.FAILED
    assert "exited with status 3" in result.reason
    assert result.stdout.count(FORGED_REPORT) >= 4 and "FORGED-CHUNK" in result.stdout
    assert "/proc/1/fd/1 PermissionError" in result.stderr
    assert received.text("stdout") == result.stdout
    assert received.text("stderr") == result.stderr
    assert not any(c.truncated for _, c in received.chunks)


def test_a_flood_is_coalesced_and_capped(sandbox: Sandbox, word_count: TaskSpec) -> None:
    """Output written as fast as the code can is cut at the stream cap, said once, and sent
    in few chunks; the run still ends on the output limit with its report."""
    flood = "import sys\nwhile True:\n    sys.stdout.write('x' * 999 + '\\n')\n"
    received = Received()
    started = time.monotonic()
    result = sandbox.run_files(word_count, {"main.py": flood}, "main.py", received)
    elapsed = time.monotonic() - started
    assert result.verdict is Verdict.OUTPUT_LIMIT
    streamed = received.text("stdout")
    assert 0 < len(streamed) <= 32 * 1024
    shown = min(len(streamed), len(result.stdout))
    assert streamed[:shown] == result.stdout[:shown] != ""
    assert [c.truncated for _, c in received.chunks].count(True) == 1
    assert len(received.chunks) <= elapsed * 10 + 2


def test_many_small_writes_are_coalesced(sandbox: Sandbox, word_count: TaskSpec) -> None:
    """A thousand flushed writes over about a second come as at most ten chunks a second."""
    script = "import time\nfor i in range(1000):\n    print(i, flush=True)\n    time.sleep(0.001)\n"
    received = Received()
    started = time.monotonic()
    result = sandbox.run_files(word_count, {"main.py": script}, "main.py", received)
    elapsed = time.monotonic() - started
    assert result.verdict is Verdict.PASSED, result.reason
    assert received.text("stdout") == result.stdout
    assert 2 <= len(received.chunks) <= elapsed * 10 + 2
