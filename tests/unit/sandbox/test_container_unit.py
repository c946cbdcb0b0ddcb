"""Host-side pieces of a runner that need no engine: stream framing, cgroups, orphans."""

from __future__ import annotations

import os
import socket
import struct
import time
from pathlib import Path
from typing import Any

import docker.errors
import pytest
import requests

from sandbox.config import Limits
from sandbox.container import (
    CREATED_LABEL,
    OWNER_LABEL,
    Cgroup,
    Demux,
    Runner,
    _oom_count,
    is_orphan,
)
from sandbox.errors import SandboxError


def frame(stream: int, data: bytes) -> bytes:
    """One frame of Docker's multiplexed stream."""
    return struct.pack(">BxxxL", stream, len(data)) + data


def test_demux_splits_streams_and_lines() -> None:
    """stdout lines come out whole; stderr is kept apart and capped."""
    left, right = socket.socketpair()
    try:
        demux = Demux(left)
        payload = frame(1, b"rea") + frame(2, b"warning\n") + frame(1, b"dy\n{}\n")
        right.sendall(payload[:5])
        right.sendall(payload[5:])
        deadline = time.monotonic() + 2
        assert demux.line(deadline, 1024) == (b"ready", "ok")
        assert demux.line(deadline, 1024) == (b"{}", "ok")
        assert bytes(demux.stderr) == b"warning\n"
        assert demux.line(time.monotonic() + 0.05, 1024) == (None, "timeout")
        right.sendall(frame(1, b"x" * 100))
        assert demux.line(time.monotonic() + 1, 50) == (None, "too_large")
        right.close()
        demux.stdout.clear()
        assert demux.line(time.monotonic() + 1, 1024) == (None, "eof")
        demux.pump(0.1)
    finally:
        left.close()
        right.close()


def test_cgroup_v1_counters(tmp_path: Path) -> None:
    """CPU, peak memory and OOM kills are read from the host's cgroup files."""
    cpu = tmp_path / "cpuacct" / "docker" / "abc"
    mem = tmp_path / "memory" / "docker" / "abc"
    cpu.mkdir(parents=True)
    mem.mkdir(parents=True)
    (cpu / "cpuacct.usage").write_text("1500000000\n")
    (mem / "memory.max_usage_in_bytes").write_text(str(64 * 2**20))
    (mem / "memory.oom_control").write_text("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n")
    group = Cgroup("abc", root=tmp_path)
    usage = group.usage()
    assert (usage.cpu_ns, usage.peak_bytes, usage.oom_kills) == (1_500_000_000, 64 * 2**20, 2)
    group.reset_peak()
    assert (mem / "memory.max_usage_in_bytes").read_text() == "0"
    missing = Cgroup("nope", root=tmp_path / "none")
    missing.reset_peak()
    assert missing.usage().cpu_ns is None


def test_oom_count() -> None:
    """The oom_kill counter, or zero."""
    assert _oom_count("low 0\noom_kill 3\n") == 3
    assert _oom_count("") == 0


def test_is_orphan() -> None:
    """Runners of dead local processes, or too old ones, are orphans; others are kept."""
    now = time.time()
    me = f"{os.uname().nodename}:{os.getpid()}"
    fresh = str(int(now))
    assert not is_orphan({OWNER_LABEL: me, CREATED_LABEL: fresh}, me, 3600, now)
    assert is_orphan({OWNER_LABEL: me, CREATED_LABEL: "0"}, me, 3600, now)
    dead = f"{os.uname().nodename}:{2**22 + 12345}"
    assert is_orphan({OWNER_LABEL: dead, CREATED_LABEL: fresh}, me, 3600, now)
    alive = f"{os.uname().nodename}:{os.getppid()}"
    assert not is_orphan({OWNER_LABEL: alive, CREATED_LABEL: fresh}, me, 3600, now)
    elsewhere = f"other-host:{os.getpid()}"
    assert not is_orphan({OWNER_LABEL: elsewhere, CREATED_LABEL: fresh}, me, 3600, now)
    assert not is_orphan({OWNER_LABEL: "garbage", CREATED_LABEL: "x"}, me, 3600 * 10**9, now)


class RefusingEngine:
    """An engine that creates a container, then refuses to start it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.sockets = socket.socketpair()

    def create_host_config(self, **kwargs: Any) -> dict[str, Any]:
        return kwargs

    def create_container(self, image: str, **kwargs: Any) -> dict[str, str]:
        self.calls.append(("create", image))
        return {"Id": "c0ffee"}

    def attach_socket(self, container_id: str, params: dict[str, int]) -> Any:
        return socket.SocketIO(self.sockets[0], "rwb")

    def start(self, container_id: str) -> None:
        raise docker.errors.APIError("no such device")

    def kill(self, container_id: str) -> None:
        self.calls.append(("kill", container_id))
        raise docker.errors.APIError("is not running")

    def remove_container(self, container_id: str, force: bool) -> None:
        self.calls.append(("remove", (container_id, force)))


class RefusingClient:
    def __init__(self, engine: RefusingEngine | None = None) -> None:
        self.api = engine or RefusingEngine()


def test_runner_that_cannot_start_is_removed_and_closed() -> None:
    """A created container the engine will not start is removed (auto_remove only acts
    on a container that ran) and its attach socket is closed, not left to the collector."""
    client = RefusingClient()
    with pytest.raises(SandboxError, match="cannot start"):
        Runner(client, "img", Limits(), "me")  # type: ignore[arg-type]
    assert ("remove", ("c0ffee", True)) in client.api.calls
    assert client.api.sockets[0].fileno() == -1
    client.api.sockets[1].close()


class SlowToKillEngine(RefusingEngine):
    """An engine that starts the container, then times out killing it (busy engine)."""

    def start(self, container_id: str) -> None:
        self.calls.append(("start", container_id))

    def kill(self, container_id: str) -> None:
        self.calls.append(("kill", container_id))
        raise requests.exceptions.ReadTimeout("read timed out")


def test_a_kill_that_times_out_still_closes_the_socket() -> None:
    """Disposing of a runner closes its attach socket even when the engine's kill fails
    with a timeout (an OSError), instead of leaving the socket to the collector."""
    client = RefusingClient(SlowToKillEngine())
    runner = Runner(client, "img", Limits(), "me")  # type: ignore[arg-type]
    runner.dispose()
    assert ("kill", "c0ffee") in client.api.calls
    assert client.api.sockets[0].fileno() == -1
    client.api.sockets[1].close()
