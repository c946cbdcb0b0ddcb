"""One sandbox (with its warm pool) per process, created on first use, drained at exit."""

from __future__ import annotations

import atexit
import os
import threading

from sandbox import Sandbox, SandboxConfig

_lock = threading.Lock()
_sandbox: Sandbox | None = None


def get_sandbox() -> Sandbox:
    """The process's sandbox; raises the sandbox's own errors when Docker or the image is
    missing (the caller records that as a platform failure, never as a candidate's)."""
    global _sandbox
    with _lock:
        if _sandbox is None or _sandbox.closed:
            _sandbox = Sandbox(SandboxConfig.from_env(os.environ))
        return _sandbox


def shutdown() -> None:
    """Drain the warm pool (at process exit, or when a worker stops)."""
    global _sandbox
    with _lock:
        if _sandbox is not None:
            _sandbox.close()
            _sandbox = None


atexit.register(shutdown)
