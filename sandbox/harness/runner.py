"""The in-container harness: PID 1 of every sandbox container.

It starts, locks itself down, prints ``ready`` and waits on stdin for one job
(a length-prefixed JSON payload holding the files). It runs the candidate's
code in child processes whose stdout/stderr are pipes it reads with caps, and
writes one JSON report line to its own stdout, the only channel the host reads.
Then it waits for the host to kill the container. It never decides a verdict:
the host compares observations with golden ones that never enter the container.

Standard library only; imports are kept lean because they sit on the hot path.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import select
import signal
import sys
import time
from typing import Any

SCRATCH = "/tmp"  # noqa: S108 - the container's own tmpfs
WORK = SCRATCH + "/work"
OBS_CAP = 256 * 1024
OBS_DEPTH = 200  # probekit.encode nests at most about 3 x MAX_DEPTH levels
KEEP_OUTPUT = 32 * 1024
PAYLOAD_CAP = 16 * 1024 * 1024
IDLE_SECONDS = 900.0
REPORT_FD = 1
STREAM_INTERVAL = 0.1  # a pad run's output goes to the host at most ten times a second
STREAM_CAP = KEEP_OUTPUT  # and no more of it than the report keeps of one stream
_EXIT = os._exit  # bound before any candidate code can patch os._exit
# The whole environment of every process in the container: the engine adds HOSTNAME (the
# container's id) to what the host asked for, so the harness replaces it before any child runs.
ENVIRONMENT = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "HOME": SCRATCH,
    "PYTHONDONTWRITEBYTECODE": "1",
}


# Where a project task's services listen (see /opt/assess/services.sh in the services image):
# Unix sockets on the runner's tmpfs only, never a TCP port.
SERVICES_SCRIPT = "/opt/assess/services.sh"
SERVICES_DIR = SCRATCH + "/services"
SERVICES_ENVIRONMENT = {
    "PGHOST": SERVICES_DIR + "/pg",
    "PGDATABASE": "postgres",
    "PGUSER": "runner",
    "REDIS_URL": "unix://" + SERVICES_DIR + "/redis.sock",
}


SERVICE_NAMES = ("postgres", "redis")  # what services.sh starts (both, always)
# Which services the job wants and whether they are running now: killing every other
# process after a probe crash kills them too, and the next child's start restarts them.
_services: dict[str, Any] = {"wanted": [], "up": False}


def _start_services(names: list[str]) -> None:
    """Start the services a project task needs before its code runs (unless a spare of the
    services pool already did), and tell every child where they are; a service that does
    not come up fails the job (a harness error). Each start is a fresh, empty cluster."""
    if not names:
        return
    _services["wanted"] = list(names)
    if _services["up"]:
        os.environ.update(SERVICES_ENVIRONMENT)
        return
    import shutil
    import subprocess

    shutil.rmtree(SERVICES_DIR, ignore_errors=True)

    done = subprocess.run(
        ["/bin/sh", SERVICES_SCRIPT],
        env={**ENVIRONMENT, "ASSESS_SERVICES_DIR": SERVICES_DIR},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
        check=False,
    )
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace")[-300:]
        raise RuntimeError(f"services did not start: {detail}")
    _services["up"] = True
    os.environ.update(SERVICES_ENVIRONMENT)


def _lock_down() -> None:
    """Make PID 1 non-dumpable so children cannot ptrace it or open /proc/1/fd, and reduce
    the environment to exactly ``ENVIRONMENT``."""
    os.environ.clear()
    os.environ.update(ENVIRONMENT)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except (OSError, AttributeError):  # pragma: no cover - depends on libc
        pass


def _read_exact(fd: int, size: int, deadline: float) -> bytes:
    """Read exactly ``size`` bytes from ``fd`` before ``deadline`` or raise EOFError."""
    chunks: list[bytes] = []
    left = size
    while left > 0:
        wait = deadline - time.monotonic()
        if wait <= 0 or not select.select([fd], [], [], wait)[0]:
            raise EOFError("timed out waiting for input")
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("input closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_payload() -> dict[str, Any]:
    """Read ``<length>\\n<json>`` from stdin."""
    deadline = time.monotonic() + IDLE_SECONDS
    header = b""
    while not header.endswith(b"\n"):
        header += _read_exact(0, 1, deadline)
        if len(header) > 20:
            raise EOFError("bad header")
    size = int(header)
    if not 0 < size <= PAYLOAD_CAP:
        raise EOFError("bad payload size")
    payload = json.loads(_read_exact(0, size, time.monotonic() + 30))
    if not isinstance(payload, dict):
        raise EOFError("payload is not an object")
    return payload


def _emit(obj: dict[str, Any]) -> None:
    """Write one JSON line to the report channel."""
    data = (json.dumps(obj, separators=(",", ":")) + "\n").encode()
    view = memoryview(data)
    while view:
        view = view[os.write(REPORT_FD, view) :]


def _kill_others() -> None:
    """From PID 1, kill every other process in the container and reap them."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(-1, signal.SIGKILL)
    _reap()
    _services["up"] = False


def _reap() -> None:
    """Reap every exited child (PID 1 inherits orphans)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _describe(status: int) -> dict[str, Any]:
    """Describe a wait status as ``{"exit": n}`` or ``{"signal": n}``."""
    if os.WIFSIGNALED(status):
        return {"signal": os.WTERMSIG(status)}
    return {"exit": os.waitstatus_to_exitcode(status)}


def _depth(value: Any) -> int:
    """How deeply a parsed JSON value nests (iterative: a hostile value may be very deep)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def _status_text(status: dict[str, Any]) -> str:
    """Describe an exit status in words."""
    if "signal" in status:
        return f"killed by signal {status['signal']}"
    if "exit" in status:
        return f"exit status {status['exit']}"
    return "killed"


class Stream:
    """A pad run's output forwarded to the host while the child runs, as progress lines
    ``{"type": "output", "out": [[stream, text], ...]}`` that the harness encodes itself (the
    child's own bytes only ever travel inside a JSON string). Output is coalesced into at
    most one line per ``STREAM_INTERVAL``; after ``STREAM_CAP`` bytes nothing more is sent
    but one line saying ``"truncated": true``. The report stays the authority."""

    def __init__(self, cap: int = STREAM_CAP) -> None:
        """Nothing sent yet."""
        self.cap = cap
        self.sent = 0
        self.pending: list[list[str]] = []
        self.decoders = {
            name: codecs.getincrementaldecoder("utf-8")("replace") for name in ("stdout", "stderr")
        }
        self.last = -STREAM_INTERVAL
        self.due: float | None = None
        self.truncated = False
        self.told = False

    def add(self, stream: str, data: bytes) -> None:
        """Queue what ``stream`` produced, up to the cap."""
        if self.truncated:
            return
        piece = data[: self.cap - self.sent]
        self.sent += len(piece)
        if len(piece) < len(data):
            self.truncated = True
        text = self.decoders[stream].decode(piece)
        if text and self.pending and self.pending[-1][0] == stream:
            self.pending[-1][1] += text
        elif text:
            self.pending.append([stream, text])
        if self.due is None and (self.pending or self.truncated):
            self.due = max(time.monotonic(), self.last + STREAM_INTERVAL)

    def wait(self, now: float) -> float | None:
        """Seconds until queued output is due, or None when nothing is queued."""
        return None if self.due is None else max(0.0, self.due - now)

    def flush(self, force: bool = False) -> None:
        """Send the queued output when it is due (or now, with ``force``)."""
        now = time.monotonic()
        if self.due is None or (not force and now < self.due):
            return
        frame: dict[str, Any] = {"type": "output", "out": self.pending}
        if self.truncated and not self.told:
            frame["truncated"] = True
            self.told = True
        self.pending = []
        self.due = None
        self.last = now
        if frame["out"] or "truncated" in frame:
            _emit(frame)


class Output:
    """Capped capture of a child's stdout and stderr."""

    def __init__(self, hard_cap: int, stream: Stream | None = None) -> None:
        """Keep the first ``KEEP_OUTPUT`` bytes of each stream; count everything; with a
        ``stream``, also forward the output as it arrives."""
        self.hard_cap = hard_cap
        self.kept = {"stdout": bytearray(), "stderr": bytearray()}
        self.total = 0
        self.stream = stream

    def add(self, stream: str, data: bytes) -> None:
        """Account for ``data`` read from ``stream``."""
        self.total += len(data)
        buf = self.kept[stream]
        if len(buf) < KEEP_OUTPUT:
            buf += data[: KEEP_OUTPUT - len(buf)]
        if self.stream is not None:
            self.stream.add(stream, data)

    @property
    def exceeded(self) -> bool:
        """Whether the child wrote more than the hard cap."""
        return self.total > self.hard_cap

    def text(self, stream: str) -> str:
        """The kept bytes of ``stream`` as text."""
        return self.kept[stream].decode("utf-8", "replace")


class Child:
    """A child process with piped stdout, stderr and a result channel."""

    def __init__(self, pid: int, out_fd: int, err_fd: int, res_fd: int) -> None:
        """Hold the pid and the parent's read ends."""
        self.pid = pid
        self.fds = {out_fd: "stdout", err_fd: "stderr", res_fd: "result"}
        self.res_fd = res_fd
        self.buffer = b""
        self.status: int | None = None

    def close(self) -> None:
        """Close the parent's read ends."""
        for fd in self.fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self.fds = {}


def _spawn(target: Any, *args: Any, cwd: str = WORK) -> Child:
    """Fork a child that runs ``target(res_fd, *args)`` in ``cwd`` with piped stdio (the
    job's services restarted first when a crash took them down)."""
    if _services["wanted"] and not _services["up"]:
        _start_services(_services["wanted"])
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    res_r, res_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the forked child
        code = 70
        try:
            os.close(out_r)
            os.close(err_r)
            os.close(res_r)
            devnull = os.open("/dev/null", os.O_RDONLY)
            os.dup2(devnull, 0)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            os.close(devnull)
            os.close(out_w)
            os.close(err_w)
            _child_setup(cwd)
            code = target(res_w, *args)
        except BaseException:  # noqa: BLE001 - the child must never return to the parent loop
            code = 70
        finally:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(BaseException):  # a rigged stream must not stop the exit
                    stream.flush()
            _EXIT(code)
    os.close(out_w)
    os.close(err_w)
    os.close(res_w)
    return Child(pid, out_r, err_r, res_r)


def _child_setup(cwd: str) -> None:  # pragma: no cover - runs in the forked child
    """Prepare a child: OOM-killer target, fresh session, default signals, a cwd."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for fd in WAKE:
        os.close(fd)
    try:
        with open("/proc/self/oom_score_adj", "w") as fh:
            fh.write("1000")
    except OSError:
        pass
    os.setsid()
    os.chdir(cwd)
    sys.path.insert(0, cwd)


def _watch(
    child: Child,
    out: Output,
    deadline: float,
    lines: list[Any],
    step_limits: dict[str, float] | None = None,
) -> str:
    """Pump a child's pipes until it exits.

    Returns ``done``, ``timeout`` (the run's deadline), ``step_timeout`` (one
    probe's own ``timeout``) or ``output``. ``lines`` receives parsed result
    lines; a ``{"start": id}`` line starts that probe's clock. The child's exit
    (seen through SIGCHLD) ends the watch even if a daemon it left behind still
    holds the pipes open.
    """
    step_started = time.monotonic()
    step_timeout: float | None = None
    exited = False
    exited_at = 0.0
    while child.fds:
        now = time.monotonic()
        limit = deadline
        if step_timeout is not None:
            limit = min(limit, step_started + step_timeout)
        if now >= limit:
            return "timeout" if limit == deadline else "step_timeout"
        wait = 0.0 if exited else min(limit - now, 1.0)
        if out.stream is not None:
            due = out.stream.wait(now)
            wait = wait if due is None else min(wait, due)
        ready = select.select([*child.fds, WAKE[0]], [], [], wait)[0]
        if WAKE[0] in ready:
            _drain_wake()
            ready.remove(WAKE[0])
        for fd in ready:
            data = os.read(fd, 65536)
            name = child.fds[fd]
            if not data:
                os.close(fd)
                del child.fds[fd]
                continue
            if name == "result":
                child.buffer += data
                if len(child.buffer) > 64 * OBS_CAP:
                    return "output"
                while b"\n" in child.buffer:
                    raw, child.buffer = child.buffer.split(b"\n", 1)
                    try:
                        item = json.loads(raw)
                    except (ValueError, RecursionError):
                        item = {"garbage": True}
                    if _depth(item) > OBS_DEPTH:
                        item = {"garbage": True}
                    if isinstance(item, dict) and "start" in item:
                        step_started = time.monotonic()
                        step_timeout = (step_limits or {}).get(str(item["start"]))
                    elif isinstance(item, dict) and "id" in item:
                        step_timeout = None
                    lines.append(item)
            else:
                out.add(name, data)
                if out.exceeded:
                    return "output"
        if out.stream is not None:
            out.stream.flush()
        if exited and (not ready or time.monotonic() > exited_at + 0.2):
            return "done"
        if not exited and child.status is None:
            pid, status = os.waitpid(child.pid, os.WNOHANG)
            if pid:
                child.status = status
                exited = True
                exited_at = time.monotonic()
    if child.status is None:
        end = min(deadline, time.monotonic() + 2.0)
        while time.monotonic() < end:
            pid, status = os.waitpid(child.pid, os.WNOHANG)
            if pid:
                child.status = status
                return "done"
            select.select([WAKE[0]], [], [], 0.05)
            _drain_wake()
        return "timeout"
    return "done"


WAKE: tuple[int, int] = (-1, -1)


def _install_wakeup() -> None:
    """Route SIGCHLD into a pipe so that ``select`` wakes when a child exits."""
    global WAKE
    r, w = os.pipe()
    os.set_blocking(r, False)
    os.set_blocking(w, False)
    WAKE = (r, w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(w)


def _drain_wake() -> None:
    """Empty the wake-up pipe."""
    try:
        while os.read(WAKE[0], 512):
            pass
    except BlockingIOError:
        pass


def _finish(child: Child) -> None:
    """Kill the child and everything it started, free the System V IPC objects it left
    (they outlive processes and would pin memory until even PID 1 is OOM-killed), then
    close its pipes."""
    _kill_others()
    _wipe_ipc()
    if child.status is None:
        with contextlib.suppress(ChildProcessError):
            _, child.status = os.waitpid(child.pid, 0)
    child.close()


def _write_result(fd: int, obj: dict[str, Any]) -> None:  # pragma: no cover - child
    """Write one result line from a child."""
    data = (json.dumps(obj, separators=(",", ":")) + "\n").encode()
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _probe_child(
    res_fd: int, probes: list[Any], start: int, module: str
) -> int:  # pragma: no cover
    """Child body: import the candidate module and run probes from ``start``."""
    import importlib

    import probekit

    _write_result(res_fd, {"phase": "import"})
    try:
        mod = importlib.import_module(module)
    except BaseException as exc:  # noqa: BLE001 - any failure is reported
        import traceback

        traceback.print_exc(limit=-8)
        _write_result(res_fd, {"import_error": probekit._exception_name(exc)})
        return 0
    _write_result(res_fd, {"phase": "probes"})
    for item in probes[start:]:
        _write_result(res_fd, {"start": item.id})
        t0 = time.process_time()
        obs = probekit.observe(item.fn, mod)
        cpu = time.process_time() - t0
        try:
            text = json.dumps(obs, separators=(",", ":"))
        except (ValueError, TypeError, RecursionError):
            obs, text = {"unencodable": "not JSON"}, ""
        if len(text) > OBS_CAP:
            obs = {"unencodable": "observation too large"}
        _write_result(res_fd, {"id": item.id, "obs": obs, "cpu": round(cpu, 6)})
    _write_result(res_fd, {"phase": "end"})
    return 0


def _load_probes(source: str) -> list[Any]:
    """Execute the probes' source in memory (never from a file the candidate can rewrite)."""
    import types

    import probekit

    probekit.PROBES.clear()
    module = types.ModuleType("probes")
    module.__file__ = "<probes>"
    sys.modules["probes"] = module
    exec(compile(source, "probes.py", "exec"), module.__dict__)  # noqa: S102 - trusted probes
    return list(probekit.PROBES)


def _write_files(files: dict[str, str]) -> None:
    """Write the submission's files into the scratch directory (a project's in folders).
    The host has checked every path; a path that would leave the directory is refused here
    too, and no existing link is followed."""
    os.makedirs(WORK, exist_ok=True)
    root = os.path.realpath(WORK)
    for name, text in files.items():
        path = os.path.realpath(os.path.join(root, name))
        if name.startswith("/") or os.path.commonpath([root, path]) != root or path == root:
            raise ValueError(f"refused path {name!r}")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)


def _resume_at(ids: list[str], results: dict[str, Any]) -> int:
    """Where a restarted child carries on: after the reported prefix, or nowhere."""
    done = [i for i in ids if i in results]
    return len(done) if done == ids[: len(done)] else len(ids)


def run_probes(job: dict[str, Any]) -> dict[str, Any]:
    """Run every probe against the candidate module, restarting after a crash."""
    probes = _load_probes(job["probes"])
    _write_files(job["files"])
    deadline = time.monotonic() + float(job["wall"])
    out = Output(int(job["output_cap"]))
    results: dict[str, Any] = {}
    ids = [p.id for p in probes]
    limits = {p.id: float(p.timeout) for p in probes if p.timeout}
    events: list[str] = []
    state = "done"
    start = 0
    while start < len(probes):
        lines: list[Any] = []
        child = _spawn(_probe_child, probes, start, job["module"])
        state = _watch(child, out, deadline, lines, limits)
        _finish(child)
        current: str | None = None
        phase = "boot"
        for item in lines:
            if not isinstance(item, dict):
                continue
            if "phase" in item:
                phase = str(item["phase"])
            elif "start" in item:
                current = item["start"] if isinstance(item["start"], str) else None
            elif "import_error" in item:
                events.append(f"import raised {item['import_error']}")
                phase = "import_error"
            elif "id" in item and item["id"] in ids and item["id"] not in results:
                results[item["id"]] = {"obs": item.get("obs"), "cpu": item.get("cpu")}
                if item["id"] == current:
                    current = None
            else:
                events.append("unexpected result line")
        status = _describe(child.status) if child.status is not None else {"killed": True}
        if state == "step_timeout" and current is not None and current not in results:
            results[current] = {"obs": {"timeout": True}}
            current = None
            state = "done"
        elif state != "done":
            state = "timeout" if state == "step_timeout" else state
            if current is not None and current not in results:
                results[current] = {"obs": {state: True}}
            break
        if phase in ("boot", "import"):
            events.append(f"the process ended during import ({_status_text(status)})")
            break
        if phase == "import_error":
            break
        if current is not None and current not in results:
            results[current] = {"obs": {"crashed": status}}
        if phase == "end":
            break
        previous, start = start, _resume_at(ids, results)
        if start <= previous:
            # No progress (the start lines were forged or missing): the probe that was
            # running is the first one without a result; it crashed.
            results[ids[previous]] = {"obs": {"crashed": status}}
            start = _resume_at(ids, results)
    why = state if state != "done" else (events[-1] if events else "the process ended early")
    for probe_id in ids:
        results.setdefault(probe_id, {"obs": {"not_run": why}})
    return {
        "probes": [{"id": p.id, "weight": p.weight, **results[p.id]} for p in probes],
        "state": state,
        "events": events[:20],
        "stdout": out.text("stdout"),
        "stderr": out.text("stderr"),
    }


def _pytest_child(res_fd: int, args: list[str]) -> int:  # pragma: no cover - child
    """Child body: run pytest on the visible tests, streaming per-test outcomes."""
    import pytest

    class Collector:
        """A pytest plugin that writes one result line per test."""

        def pytest_runtest_logreport(self, report: Any) -> None:
            """Record the call phase, or a failing setup/teardown."""
            if report.when == "call" or (report.when != "call" and not report.passed):
                text = ""
                if report.failed:
                    text = str(report.longreprtext)[-4000:]
                elif report.skipped:
                    text = "skipped"
                _write_result(
                    res_fd,
                    {
                        "test": report.nodeid,
                        "outcome": report.outcome,
                        "message": text,
                        "stdout": report.capstdout[-4000:],
                    },
                )

    code = pytest.main(args, plugins=[Collector()])
    return int(code)


def _stream_for(job: dict[str, Any]) -> Stream | None:
    """A stream of the output when the host asked for one (pad runs only)."""
    return Stream() if job.get("stream") is True else None


def run_samples(job: dict[str, Any]) -> dict[str, Any]:
    """Run the visible pytest tests (informative only)."""
    _write_files(job["files"])
    deadline = time.monotonic() + float(job["wall"])
    out = Output(int(job["output_cap"]), _stream_for(job))
    lines: list[Any] = []
    args = [job["tests"], "-q", "-p", "no:cacheprovider", "--color=no", "-W", "ignore"]
    child = _spawn(_pytest_child, args)
    state = _watch(child, out, deadline, lines)
    _finish(child)
    if out.stream is not None:
        out.stream.flush(force=True)
    tests = [x for x in lines if isinstance(x, dict) and "test" in x][:500]
    status = _describe(child.status) if child.status is not None else {"killed": True}
    return {
        "tests": tests,
        "state": state,
        "status": status,
        "stdout": out.text("stdout"),
        "stderr": out.text("stderr"),
    }


def run_script(job: dict[str, Any]) -> dict[str, Any]:
    """Run ``python main.py`` on the job's files (a live interview's pad), in a fresh
    interpreter, with the same caps; report its exit status and output."""
    _write_files(job["files"])
    deadline = time.monotonic() + float(job["wall"])
    out = Output(int(job["output_cap"]), _stream_for(job))
    argv = [sys.executable, "-E", "-s", "-B", job["main"]]  # not -I: main imports its siblings
    if out.stream is not None:
        argv.insert(1, "-u")  # what it prints reaches the pipe, and so the room, as it prints
    child = _spawn(_exec_child, argv, WORK)
    state = _watch(child, out, deadline, [])
    _finish(child)
    if out.stream is not None:
        out.stream.flush(force=True)
    status = _describe(child.status) if child.status is not None else {"killed": True}
    return {
        "tests": [],
        "state": state,
        "status": status,
        "stdout": out.text("stdout"),
        "stderr": out.text("stderr"),
    }


def _exec_child(res_fd: int, argv: list[str], cwd: str) -> int:  # pragma: no cover - child
    """Child body: exec a fresh interpreter so no parent memory is inherited."""
    os.close(res_fd)
    os.chdir(cwd)
    os.execve(argv[0], argv, dict(ENVIRONMENT))  # noqa: S606 - a fixed interpreter, no shell
    return 70


def _wipe_ipc() -> None:
    """Remove every System V shared memory segment, message queue and semaphore set."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
    except (OSError, AttributeError):  # pragma: no cover - depends on libc
        return
    removers: dict[str, Any] = {"shm": libc.shmctl, "msg": libc.msgctl, "sem": libc.semctl}
    for kind, remove in removers.items():
        try:
            with open(f"/proc/sysvipc/{kind}") as fh:
                rows = fh.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 1 and fields[1].isdigit():
                remove(int(fields[1]), 0, 0)  # IPC_RMID is 0 (for semctl: semnum 0, cmd 0)


def _wipe_scratch() -> None:
    """Empty every place a run could leave a note for the next one.

    That is /tmp, /dev/shm, POSIX message queues and System V IPC objects (the
    container has its own IPC namespace; every process in it runs as our user).
    """
    _wipe_ipc()
    for root in (SCRATCH, "/dev/shm", "/dev/mqueue"):  # noqa: S108 - the container's own
        for top, dirs, _ in os.walk(root):  # first make every directory ours to empty
            for name in dirs:
                path = os.path.join(top, name)
                if not os.path.islink(path):
                    with contextlib.suppress(OSError):
                        os.chmod(path, 0o700)
        for top, dirs, files in os.walk(root, topdown=False):
            for name in files:
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(top, name))
            for name in dirs:
                path = os.path.join(top, name)
                with contextlib.suppress(OSError):
                    if os.path.islink(path):
                        os.unlink(path)
                    else:
                        os.rmdir(path)


def run_write_tests(job: dict[str, Any]) -> dict[str, Any]:
    """Run the candidate's tests against each implementation in a fresh process and dir.

    Each run gets a fresh interpreter (exec, not fork, so the other
    implementations held in this process's memory are not inherited) and a
    fresh directory holding only ``solution.py`` and the test file; the
    directory is removed and every process killed before the next run. The
    observation is the exit status seen by this process, not anything the
    tests print.
    """
    import random

    deadline = time.monotonic() + float(job["wall"])
    out = Output(int(job["output_cap"]))
    hidden = Output(int(job["output_cap"]))
    runs: list[dict[str, Any]] = []
    state = "done"
    names = list(job["implementations"])
    # A random order and the same directory every time: neither the position of a run,
    # its directory, its pid nor a file left by an earlier run tells which one is correct.
    random.SystemRandom().shuffle(names)
    per_run = float(job.get("per_run") or float(job["wall"]) / max(1, len(names)))
    for name in names:
        run_dir = f"{SCRATCH}/run"
        _wipe_scratch()
        os.makedirs(run_dir)
        with open(os.path.join(run_dir, "solution.py"), "w", encoding="utf-8") as fh:
            fh.write(job["implementations"][name])
        with open(os.path.join(run_dir, job["test_name"]), "w", encoding="utf-8") as fh:
            fh.write(job["tests"])
        argv = [
            sys.executable, "-I", "-B", "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "--color=no", job["test_name"],
        ]  # fmt: skip
        child = _spawn(_exec_child, argv, run_dir, cwd=run_dir)
        run_deadline = min(deadline, time.monotonic() + per_run)
        # Only the run against the correct implementation shows its output: what the
        # tests print about a buggy implementation would leak it to the candidate.
        shown = out if name == "implementation" else hidden
        state = _watch(child, shown, run_deadline, [])
        _finish(child)
        _wipe_scratch()
        if state == "done" and child.status is not None:
            obs: dict[str, Any] = _describe(child.status)
        else:
            obs = {state: True}
        runs.append({"id": name, "obs": obs})
        if out.total + hidden.total > out.hard_cap:
            state = "output"
        if state == "output" or time.monotonic() >= deadline:
            state = state if state != "done" else "timeout"
            break
        state = "done"
    for name in names[len(runs) :]:
        runs.append({"id": name, "obs": {"not_run": state}})
    runs.sort(key=lambda run: list(job["implementations"]).index(run["id"]))
    return {
        "probes": runs,
        "state": state,
        "events": [],
        "stdout": out.text("stdout"),
        "stderr": out.text("stderr"),
    }


MODES = {
    "probes": run_probes,
    "samples": run_samples,
    "write-tests": run_write_tests,
    "script": run_script,
}


def main() -> None:
    """Boot, wait for one job, run it, report, and wait to be killed."""
    _lock_down()
    _install_wakeup()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import probekit  # noqa: F401 - warm the import before the job arrives

    if "--pytest" in sys.argv[1:]:
        import pytest  # noqa: F401
    if "--services" in sys.argv[1:]:  # a spare of the services pool: servers up before ready
        try:
            _start_services(list(SERVICE_NAMES))
        except Exception:  # noqa: BLE001 - the job starts them again and reports why not
            _kill_others()
    os.write(REPORT_FD, b"ready\n")
    try:
        job = _read_payload()
    except (EOFError, ValueError):
        return
    started = time.monotonic()
    try:
        _start_services(list(job.get("services") or []))
        report = MODES[job["mode"]](job)
    except Exception as exc:  # noqa: BLE001 - reported as a harness failure
        report = {"harness_error": f"{type(exc).__name__}: {exc}"[:500]}
    _kill_others()
    report["v"] = 1
    report["mode"] = job.get("mode")
    report["elapsed"] = round(time.monotonic() - started, 4)
    _emit(report)
    with contextlib.suppress(OSError):
        select.select([0], [], [], 60)


if __name__ == "__main__":
    main()
