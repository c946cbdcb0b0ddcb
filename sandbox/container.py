"""One locked-down runner container, driven through the Engine API.

A :class:`Runner` is created, attached and started; its harness prints
``ready`` and waits on stdin. :meth:`Runner.execute` sends one job, reads the
one report line with a host-side deadline and a size cap, and measures CPU and
memory from the container's cgroup on the host. A runner is used exactly once.
A pad run may also ask for its output while it runs: the harness then writes
progress lines before the report, and ``execute`` hands each to a callback.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker
import docker.errors

from sandbox.config import Limits
from sandbox.errors import SandboxError

LABEL = "assess.sandbox"
OWNER_LABEL = "assess.sandbox.owner"
CREATED_LABEL = "assess.sandbox.created"
SCRATCH = "/tmp"  # noqa: S108 - the container's own size-limited tmpfs, not the host's
COMMAND = ["python3", "-I", "-B", "/opt/harness/runner.py"]
ENVIRONMENT = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "HOME": SCRATCH,
    "PYTHONDONTWRITEBYTECODE": "1",
}
HOSTNAME = "sandbox"  # the same for every runner: the container's id is not the code's business
READY_TIMEOUT = 30.0
REPORT_CAP = 8 * 1024 * 1024
STDERR_CAP = 16 * 1024
CGROUP_ROOT = Path("/sys/fs/cgroup")
PROGRESS_PREFIX = b'{"type":"output",'  # how the harness starts a progress line, never a report
PROGRESS_CAP = 1024 * 1024  # progress bytes passed on per job (the harness sends far less)
STREAMS = ("stdout", "stderr")


class RunnerBrokenError(SandboxError):
    """A runner died or misbehaved before it received a job."""


@dataclass
class Usage:
    """Counters read from a container's cgroup."""

    cpu_ns: int | None = None
    peak_bytes: int | None = None
    oom_kills: int = 0


@dataclass
class RawRun:
    """What the host saw of one job: the report line and host-side measurements."""

    report: bytes | None
    status: str  # "ok" | "timeout" | "eof" | "too_large"
    duration_s: float
    cpu_s: float | None
    peak_memory_mb: float | None
    oom: bool
    harness_stderr: str = ""


@dataclass(frozen=True)
class OutputChunk:
    """Output a running job produced since the last chunk: ``(stream, text)`` pieces in the
    order they came, and whether the harness stopped forwarding here (a preview only: the
    report is the authority)."""

    pieces: tuple[tuple[str, str], ...]
    truncated: bool = False


OnOutput = Callable[[OutputChunk], None]


def progress_chunk(line: bytes) -> OutputChunk | None:
    """The chunk a harness progress line carries, or None when ``line`` is not one."""
    if not line.startswith(PROGRESS_PREFIX):
        return None
    try:
        frame = json.loads(line)
    except (ValueError, RecursionError):
        return None
    out = frame.get("out") if isinstance(frame, dict) else None
    if not isinstance(out, list):
        return None
    pieces: list[tuple[str, str]] = []
    for piece in out:
        if not (isinstance(piece, list) and len(piece) == 2 and piece[0] in STREAMS):
            return None
        if not isinstance(piece[1], str):
            return None
        pieces.append((piece[0], piece[1]))
    return OutputChunk(tuple(pieces), frame.get("truncated") is True)


def host_config(client: docker.DockerClient, limits: Limits) -> dict[str, Any]:
    """The HostConfig that locks a runner down."""
    memory = limits.memory_mb * 1024 * 1024
    config: dict[str, Any] = client.api.create_host_config(
        network_mode="none",
        cap_drop=["ALL"],
        security_opt=["no-new-privileges"],
        read_only=True,
        tmpfs={SCRATCH: f"rw,nosuid,nodev,noexec,size={limits.tmpfs_mb}m,mode=1777"},
        mem_limit=memory,
        memswap_limit=memory,
        pids_limit=limits.pids,
        nano_cpus=int(limits.cpus * 1e9),
        shm_size=1024 * 1024,
        ipc_mode="private",
        ulimits=[
            docker.types.Ulimit(name="nofile", soft=limits.nofile, hard=limits.nofile),
            docker.types.Ulimit(name="core", soft=0, hard=0),
        ],
        log_config=docker.types.LogConfig(type="none"),
        auto_remove=True,
    )
    return config


class Cgroup:
    """Read a container's cgroup counters on the host (v1, or v2 as a fallback)."""

    def __init__(self, container_id: str, root: Path = CGROUP_ROOT) -> None:
        """Locate the container's cgroup directories."""
        self.v1_cpu = root / "cpuacct" / "docker" / container_id
        self.v1_mem = root / "memory" / "docker" / container_id
        self.v2 = root / "system.slice" / f"docker-{container_id}.scope"

    @staticmethod
    def _read(path: Path) -> str | None:
        """Read a cgroup file, or None when it is not there."""
        try:
            return path.read_text()
        except OSError:
            return None

    def reset_peak(self) -> None:
        """Reset the v1 memory high-water mark so that it covers only the job."""
        with contextlib.suppress(OSError):
            (self.v1_mem / "memory.max_usage_in_bytes").write_text("0")

    def usage(self) -> Usage:
        """Current CPU time, peak memory and OOM kill count."""
        cpu = self._read(self.v1_cpu / "cpuacct.usage")
        if cpu is not None:
            peak = self._read(self.v1_mem / "memory.max_usage_in_bytes")
            oom = self._read(self.v1_mem / "memory.oom_control") or ""
            return Usage(int(cpu), int(peak) if peak else None, _oom_count(oom))
        stat = self._read(self.v2 / "cpu.stat")
        if stat is not None:  # pragma: no cover - cgroup v2 hosts
            fields = dict(line.split() for line in stat.splitlines() if " " in line)
            peak = self._read(self.v2 / "memory.peak")
            events = self._read(self.v2 / "memory.events") or ""
            return Usage(
                int(fields.get("usage_usec", 0)) * 1000,
                int(peak) if peak else None,
                _oom_count(events),
            )
        return Usage()  # pragma: no cover - remote engine


def _oom_count(text: str) -> int:
    """The ``oom_kill`` counter of memory.oom_control / memory.events."""
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "oom_kill":
            return int(parts[1])
    return 0


class Demux:
    """Split Docker's multiplexed attach stream into stdout and stderr."""

    def __init__(self, sock: socket.socket) -> None:
        """Wrap the raw attach socket."""
        self.sock = sock
        self.raw = b""
        self.stdout = bytearray()
        self.stderr = bytearray()
        self.eof = False

    def pump(self, timeout: float) -> None:
        """Read what arrives within ``timeout`` seconds and split it into frames."""
        if self.eof:
            return
        if not select.select([self.sock], [], [], max(0.0, timeout))[0]:
            return
        try:
            chunk = self.sock.recv(1 << 20)
        except (ConnectionError, OSError):
            chunk = b""
        if not chunk:
            self.eof = True
            return
        self.raw += chunk
        while len(self.raw) >= 8:
            stream, size = struct.unpack(">BxxxL", self.raw[:8])
            if len(self.raw) < 8 + size:
                break
            data = self.raw[8 : 8 + size]
            self.raw = self.raw[8 + size :]
            if stream == 2:
                if len(self.stderr) < STDERR_CAP:
                    self.stderr += data[: STDERR_CAP - len(self.stderr)]
            else:
                self.stdout += data

    def line(self, deadline: float, cap: int) -> tuple[bytes | None, str]:
        """Wait for one stdout line; return ``(line, status)``."""
        while True:
            index = self.stdout.find(b"\n")
            if index >= 0:
                line = bytes(self.stdout[:index])
                del self.stdout[: index + 1]
                return line, "ok"
            if len(self.stdout) > cap:
                return None, "too_large"
            if self.eof:
                return None, "eof"
            left = deadline - time.monotonic()
            if left <= 0:
                return None, "timeout"
            self.pump(left)


class Runner:
    """A started, locked-down container waiting for exactly one job."""

    def __init__(
        self,
        client: docker.DockerClient,
        image: str,
        limits: Limits,
        owner: str,
        preload_pytest: bool = False,
        services: bool = False,
    ) -> None:
        """Create, attach and start the container (does not wait for ``ready``).

        With ``preload_pytest`` the harness imports pytest before saying ``ready``
        (sample runs start faster; each spare costs a little more to start). With
        ``services`` (a services image) it starts PostgreSQL and Redis first, so a job
        that needs them does not wait for them.
        """
        self.client = client
        self.limits = limits
        self.key = limits.container_key()
        self.created = time.monotonic()
        self.used = False
        api = client.api
        try:
            created = api.create_container(
                image,
                command=[
                    *COMMAND,
                    *(["--pytest"] if preload_pytest else []),
                    *(["--services"] if services else []),
                ],
                stdin_open=True,
                tty=False,
                user="10001:10001",
                hostname=HOSTNAME,
                working_dir=SCRATCH,
                environment=ENVIRONMENT,
                network_disabled=True,
                labels={LABEL: "runner", OWNER_LABEL: owner, CREATED_LABEL: str(int(time.time()))},
                host_config=host_config(client, limits),
            )
        except docker.errors.ImageNotFound as exc:
            raise SandboxError(f"sandbox image {image} is missing: build it first") from exc
        except docker.errors.APIError as exc:
            raise SandboxError(f"cannot create a sandbox container: {exc}") from exc
        self.id: str = created["Id"]
        try:
            self.io = api.attach_socket(
                self.id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
            )
            self.sock: socket.socket = self.io._sock
            self.sock.setblocking(True)
            api.start(self.id)
        except (docker.errors.APIError, OSError) as exc:
            self.dispose()
            with contextlib.suppress(docker.errors.APIError):
                remove_container(client, self.id)  # never started: auto_remove won't fire
            raise SandboxError(f"cannot start a sandbox container: {exc}") from exc
        self.demux = Demux(self.sock)
        self.cgroup = Cgroup(self.id)
        self.ready = False

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Block until the harness says ``ready``."""
        line, status = self.demux.line(time.monotonic() + timeout, 1024)
        if line != b"ready":
            self.dispose()
            detail = self.demux.stderr.decode("utf-8", "replace")[-500:]
            raise RunnerBrokenError(f"sandbox container did not become ready ({status}): {detail}")
        self.ready = True

    def healthy(self) -> bool:
        """Whether the spare is still idle: nothing unexpected arrived on its socket."""
        if self.used or not self.ready or self.demux.eof or self.demux.stdout:
            return False
        return not select.select([self.sock], [], [], 0)[0]

    def usage(self) -> Usage:
        """Counters from the host's cgroup files, else from the Engine's stats API."""
        usage = self.cgroup.usage()
        if usage.cpu_ns is not None:
            return usage
        try:
            stats = self.client.api.stats(self.id, stream=False, one_shot=True)
        except (docker.errors.APIError, OSError):
            return usage
        cpu = (stats.get("cpu_stats") or {}).get("cpu_usage", {}).get("total_usage")
        memory = stats.get("memory_stats") or {}
        peak = memory.get("max_usage")
        oom = (memory.get("stats") or {}).get("oom_kill", 0)
        return Usage(
            int(cpu) if cpu is not None else None,
            int(peak) if peak is not None else None,
            int(oom or 0),
        )

    def execute(
        self, payload: dict[str, Any], wall: float, grace: float, on_output: OnOutput | None = None
    ) -> RawRun:
        """Send one job and collect its report within ``wall + grace`` seconds. With
        ``on_output`` the harness is asked to stream the output, and each progress line before
        the report goes to ``on_output``; the first other line is the one report."""
        if self.used:
            raise RunnerBrokenError("a runner is used exactly once")
        self.used = True
        if not self.ready:
            self.wait_ready()
        if on_output is not None:
            payload = {**payload, "stream": True}
        data = json.dumps(payload, separators=(",", ":")).encode()
        before = self.usage()
        self.cgroup.reset_peak()
        started = time.monotonic()
        try:
            self.sock.settimeout(READY_TIMEOUT)  # a stalled engine must not hang the grader
            self.sock.sendall(str(len(data)).encode() + b"\n" + data)
        except OSError as exc:  # socket.timeout included
            raise RunnerBrokenError(f"sandbox container refused the job: {exc}") from exc
        finally:
            with contextlib.suppress(OSError):
                self.sock.settimeout(None)
        if on_output is None:
            line, status = self.demux.line(started + wall + grace, REPORT_CAP)
        else:
            line, status = self._report_after_progress(started + wall + grace, on_output)
        duration = time.monotonic() - started
        after = self.usage()
        cpu_s = None
        if after.cpu_ns is not None and before.cpu_ns is not None:
            cpu_s = max(0, after.cpu_ns - before.cpu_ns) / 1e9
        peak = after.peak_bytes / 2**20 if after.peak_bytes is not None else None
        return RawRun(
            report=line,
            status=status,
            duration_s=duration,
            cpu_s=cpu_s,
            peak_memory_mb=peak,
            oom=after.oom_kills > before.oom_kills,
            harness_stderr=self.demux.stderr.decode("utf-8", "replace"),
        )

    def _report_after_progress(
        self, deadline: float, on_output: OnOutput
    ) -> tuple[bytes | None, str]:
        """Pass progress lines to ``on_output`` (up to ``PROGRESS_CAP`` bytes in all; a
        callback that fails is not called again) until the report line arrives."""
        passed = 0
        while True:
            line, status = self.demux.line(deadline, REPORT_CAP)
            chunk = progress_chunk(line) if line is not None else None
            if line is None or chunk is None:
                return line, status
            passed += len(line)
            if passed > PROGRESS_CAP:
                continue
            try:
                on_output(chunk)
            except Exception:  # noqa: BLE001 - a preview must never cost the run its report
                passed = PROGRESS_CAP + 1

    def dispose(self) -> None:
        """Kill the container (the engine removes it: auto_remove) and close the socket,
        also when the kill fails: a busy engine's timeout (an ``OSError``) must not leak the
        socket (the pool's ``close`` removes a container that outlived its kill)."""
        try:
            with contextlib.suppress(docker.errors.APIError, OSError):
                self.client.api.kill(self.id)
        finally:
            for stream in ("io", "sock"):  # each on its own: one failing must not leak the other
                with contextlib.suppress(AttributeError, OSError):
                    getattr(self, stream).close()


def list_runners(client: docker.DockerClient, owner: str | None = None) -> list[dict[str, Any]]:
    """Every runner container (optionally only ``owner``'s), running or not."""
    label = f"{OWNER_LABEL}={owner}" if owner else LABEL
    found: list[dict[str, Any]] = client.api.containers(all=True, filters={"label": label})
    return found


def is_orphan(labels: dict[str, str], me: str, max_age: float, now: float) -> bool:
    """Whether a runner belongs to no live process (or is simply too old)."""
    owner = labels.get(OWNER_LABEL, "")
    try:
        created = float(labels.get(CREATED_LABEL, "0"))
    except ValueError:
        created = 0.0
    if now - created > max_age:
        return True
    host, _, pid = owner.rpartition(":")
    if owner == me or host != os.uname().nodename or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def remove_container(client: docker.DockerClient, container_id: str) -> bool:
    """Force-remove a container; False if it was already gone."""
    try:
        client.api.remove_container(container_id, force=True)
    except docker.errors.NotFound:
        return False
    except docker.errors.APIError as exc:
        if exc.status_code == 409:  # removal already in progress
            return False
        raise
    return True
