"""A small pool of spare runners, started ahead of time and used once each."""

from __future__ import annotations

import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

import docker

from sandbox.config import Limits
from sandbox.container import Runner, list_runners, remove_container
from sandbox.errors import SandboxError

MAX_IDLE = 600.0
PENDING_WAIT = 2.0  # a spare being started is usually ready sooner than a new one


class WarmPool:
    """Spare runners for the default limits; other limits get a fresh (cold) runner."""

    def __init__(
        self,
        client: docker.DockerClient,
        image: str,
        limits: Limits,
        size: int,
        owner: str,
        preload_pytest: bool = False,
        services: bool = False,
    ) -> None:
        """Start filling the pool in the background (with ``services``: spares of a
        services image with PostgreSQL and Redis already running)."""
        self.preload_pytest = preload_pytest
        self.services = services
        self.client = client
        self.image = image
        self.limits = limits
        self.size = max(0, size)
        self.owner = owner
        self.spares: deque[Runner] = deque()
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        self.pending = 0
        self.closed = False
        self.errors = 0
        self.disposing = 0
        self.starter = ThreadPoolExecutor(max_workers=max(1, self.size), thread_name_prefix="warm")
        self.disposer = ThreadPoolExecutor(max_workers=2, thread_name_prefix="dispose")
        self.fill()

    def fill(self) -> None:
        """Start as many runners as the pool is short of."""
        with self.lock:
            if self.closed:
                return
            short = self.size - len(self.spares) - self.pending
            self.pending += max(0, short)
        for _ in range(max(0, short)):
            self.starter.submit(self._start_one)

    def _start_one(self) -> None:
        """Start one spare (runs on a background thread)."""
        runner: Runner | None = None
        try:
            runner = Runner(self.client, self.image, self.limits, self.owner,
                            self.preload_pytest, self.services)  # fmt: skip
            runner.wait_ready()
        except SandboxError:
            runner = None
            self.errors += 1
        with self.lock:
            self.pending -= 1
            if runner is not None and not self.closed:
                self.spares.append(runner)
                self.arrived.notify()
                return
            self.arrived.notify()
        if runner is not None:
            runner.dispose()

    def acquire(self, limits: Limits, image: str | None = None) -> Runner:
        """A ready spare for the default limits and image, else a freshly started runner
        (of ``image`` when given: a project task's services image)."""
        image = image or self.image
        if limits.container_key() == self.limits.container_key() and image == self.image:
            while True:
                with self.lock:
                    if not self.spares and self.pending and not self.closed:
                        self.arrived.wait(PENDING_WAIT)
                    runner = self.spares.popleft() if self.spares else None
                if runner is None:
                    break
                self.fill()
                if runner.healthy() and time.monotonic() - runner.created < MAX_IDLE:
                    return runner
                self.release(runner)
            self.fill()
        runner = Runner(self.client, image, limits, self.owner, self.preload_pytest)
        runner.wait_ready()
        return runner

    def release(self, runner: Runner) -> None:
        """Dispose of a used runner in the background."""
        with self.lock:
            self.disposing += 1
        try:
            self.disposer.submit(self._dispose, runner)
        except RuntimeError:  # executor already shut down
            self._dispose(runner)

    def _dispose(self, runner: Runner) -> None:
        """Kill one runner and count it done."""
        try:
            runner.dispose()
        finally:
            with self.lock:
                self.disposing -= 1

    def settle(self, timeout: float = 30.0) -> bool:
        """Wait until the pool is full again and no disposal is in flight."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if not self.pending and not self.disposing and len(self.spares) >= self.size:
                    return True
            time.sleep(0.01)
        return False

    def close(self, wait_gone: float = 10.0) -> None:
        """Stop refilling, kill the spares, and wait until no runner of ours remains."""
        with self.lock:
            self.closed = True
            spares = list(self.spares)
            self.spares.clear()
        self.starter.shutdown(wait=True)
        with self.lock:
            spares += list(self.spares)
            self.spares.clear()
        futures: list[Future[None]] = []
        for runner in spares:
            try:
                futures.append(self.disposer.submit(runner.dispose))
            except RuntimeError:  # the interpreter is exiting: no new threads, dispose here
                runner.dispose()
        for future in futures:
            future.result()
        self.disposer.shutdown(wait=True)
        deadline = time.monotonic() + wait_gone
        while time.monotonic() < deadline:
            left = list_runners(self.client, self.owner)
            if not left:
                return
            time.sleep(0.05)
        for item in list_runners(self.client, self.owner):
            remove_container(self.client, item["Id"])
