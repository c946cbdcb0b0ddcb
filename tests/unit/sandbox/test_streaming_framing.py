"""The framing of a pad run's streamed output: the harness coalesces and caps what it
forwards, and the host tells its progress lines from the one report."""

from __future__ import annotations

import json
import socket
import struct
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from sandbox.container import PROGRESS_CAP, Demux, OutputChunk, Runner, progress_chunk

sys.path.insert(0, str(Path(__file__).parents[3] / "sandbox" / "harness"))
import runner as harness


def frame(data: bytes) -> bytes:
    """One stdout frame of Docker's multiplexed stream."""
    return struct.pack(">BxxxL", 1, len(data)) + data


def test_progress_lines_are_told_from_reports() -> None:
    """Only the harness's own progress shape is a chunk; reports and lookalikes are not."""
    line = b'{"type":"output","out":[["stdout","a\\n"],["stderr","b"]],"truncated":true}'
    assert progress_chunk(line) == OutputChunk((("stdout", "a\n"), ("stderr", "b")), True)
    assert progress_chunk(b'{"type":"output","out":[]}') == OutputChunk(())
    for other in (
        b'{"tests":[],"state":"done","v":1,"mode":"script","type":"output"}',
        b' {"type":"output","out":[]}',
        b'{"type":"output","out":[["stdin","x"]]}',
        b'{"type":"output","out":[["stdout",1]]}',
        b'{"type":"output","out":{"stdout":"x"}}',
        b'{"type":"output","out":[["stdout","x"]]',
    ):
        assert progress_chunk(other) is None, other


def _runner_on(sock: socket.socket) -> Runner:
    """A runner whose socket is ``sock`` (no engine behind it)."""
    runner = object.__new__(Runner)
    runner.demux = Demux(sock)
    return runner


def test_the_host_passes_progress_on_and_keeps_the_first_other_line() -> None:
    """Progress lines go to the callback; the first other line is the report and nothing
    after it is read; a failing callback is dropped without losing the report."""
    left, right = socket.socketpair()
    try:
        progress = b'{"type":"output","out":[["stdout","hi\\n"]]}\n'
        right.sendall(frame(progress * 3 + b'{"v":1}\n' + progress))
        seen: list[OutputChunk] = []

        def fails_once(chunk: OutputChunk) -> None:
            seen.append(chunk)
            raise RuntimeError("the room is gone")

        runner = _runner_on(left)
        line, status = runner._report_after_progress(time.monotonic() + 2, fails_once)
        assert (line, status) == (b'{"v":1}', "ok")
        assert len(seen) == 1
        assert bytes(runner.demux.stdout) == progress  # after the report: never taken
    finally:
        left.close()
        right.close()


def test_the_host_stops_passing_progress_past_its_cap() -> None:
    """Past ``PROGRESS_CAP`` bytes, progress lines are read but no longer passed on."""
    left, right = socket.socketpair()
    try:
        text = "z" * 60_000
        line = json.dumps({"type": "output", "out": [["stdout", text]]}, separators=(",", ":"))
        lines = (line + "\n").encode() * (PROGRESS_CAP // len(line) + 3)
        received: list[OutputChunk] = []
        runner = _runner_on(left)
        right.setblocking(False)
        data = frame(lines + b"report\n")
        deadline = time.monotonic() + 10
        sent = 0
        while sent < len(data):
            try:
                sent += right.send(data[sent:])
            except BlockingIOError:
                runner.demux.pump(0.05)
        report, _ = runner._report_after_progress(deadline, received.append)
        assert report == b"report"
        assert sum(len(c.pieces[0][1]) for c in received) <= PROGRESS_CAP
        assert len(received) == PROGRESS_CAP // (len(line) + 1)
    finally:
        left.close()
        right.close()


@pytest.fixture
def emitted(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What the harness would write to the report channel."""
    lines: list[dict[str, Any]] = []
    monkeypatch.setattr(harness, "_emit", lines.append)
    return lines


def test_the_harness_coalesces_output(emitted: list[dict[str, Any]]) -> None:
    """The first output goes out at once; what follows within the interval waits, merged by
    stream in order; a forced flush sends the rest."""
    stream = harness.Stream()
    stream.add("stdout", b"a")
    stream.flush()
    assert emitted == [{"type": "output", "out": [["stdout", "a"]]}]
    stream.add("stdout", b"b")
    stream.add("stdout", b"c")
    stream.add("stderr", b"\xc3")  # half a character: held until the rest arrives
    stream.add("stderr", b"\xa9!")
    stream.flush()
    assert len(emitted) == 1
    wait = stream.wait(time.monotonic())
    assert wait is not None and 0 < wait <= harness.STREAM_INTERVAL
    stream.flush(force=True)
    assert emitted[1] == {"type": "output", "out": [["stdout", "bc"], ["stderr", "é!"]]}
    assert stream.wait(time.monotonic()) is None


def test_the_harness_caps_what_it_streams(emitted: list[dict[str, Any]]) -> None:
    """Past the cap nothing more is queued and one line says truncated."""
    stream = harness.Stream(cap=10)
    stream.add("stdout", b"0123456")
    stream.add("stdout", b"789abc")
    stream.add("stdout", b"more")
    stream.flush(force=True)
    stream.add("stdout", b"again")
    stream.flush(force=True)
    assert emitted == [{"type": "output", "out": [["stdout", "0123456789"]], "truncated": True}]
