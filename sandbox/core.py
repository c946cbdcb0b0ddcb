"""The Sandbox: a Docker client, a warm pool, and the three things the app asks of it."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import docker
import docker.errors

from sandbox.config import Limits, SandboxConfig
from sandbox.container import (
    OnOutput,
    RawRun,
    Runner,
    RunnerBrokenError,
    is_orphan,
    list_runners,
    remove_container,
)
from sandbox.errors import EngineUnavailableError, GoldenError, ImageMissingError, SandboxError
from sandbox.flags import suspicion_flags
from sandbox.grading import (
    Context,
    host_failure,
    same,
    samples_result,
    script_result,
)
from sandbox.image import image_exists, image_tag
from sandbox.pool import WarmPool
from sandbox.results import Golden, RunResult, Verdict
from sandbox.source import CheckedSource, SourceRejectedError
from sandbox.taskdir import TaskSpec

ORPHAN_MAX_AGE = 3600.0


def connect(config: SandboxConfig) -> docker.DockerClient:
    """A Docker client for ``config`` (raises :class:`EngineUnavailableError`)."""
    url = config.docker_url or os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
    if url.startswith("unix://") and not Path(url.removeprefix("unix://")).exists():
        raise EngineUnavailableError(f"the Docker engine is unreachable: no socket at {url}")
    client: docker.DockerClient | None = None
    try:
        if config.docker_url:
            client = docker.DockerClient(base_url=config.docker_url, timeout=30)
        else:
            client = docker.from_env(timeout=30)
        client.ping()
    except (docker.errors.DockerException, OSError) as exc:
        if client is not None:
            client.close()
        raise EngineUnavailableError(f"the Docker engine is unreachable: {exc}") from exc
    return client


def docker_available(config: SandboxConfig | None = None) -> str | None:
    """None when the engine answers and the runner image exists, else the reason."""
    config = config or SandboxConfig()
    try:
        client = connect(config)
    except EngineUnavailableError as exc:
        return str(exc)
    try:
        image = config.image or image_tag()
        if not image_exists(client, image):
            return f"the sandbox image {image} is not built (flask sandbox build-image)"
    finally:
        client.close()
    return None


class Sandbox:
    """Grades submissions in fresh, locked-down containers; a context manager."""

    def __init__(
        self, config: SandboxConfig | None = None, client: docker.DockerClient | None = None
    ) -> None:
        """Connect, check the image, reap orphans and start the warm pool."""
        self.config = config or SandboxConfig()
        self.own_client = client is None
        self.client = client or connect(self.config)
        self.image = self.config.image or image_tag()
        if not image_exists(self.client, self.image):
            if self.own_client:
                self.client.close()
            raise ImageMissingError(
                f"the sandbox image {self.image} is not built: run `flask sandbox build-image`"
            )
        self.images_seen: set[str] = set()
        self.reaped = self.reap_orphans()
        self.slots = threading.BoundedSemaphore(self.config.max_concurrency)
        self.pool = WarmPool(
            self.client,
            self.image,
            self.config.limits,
            self.config.pool_size,
            self.config.owner,
            self.config.preload_pytest,
        )
        self.service_pools: dict[tuple[str, Any], WarmPool] = {}
        self.pools_lock = threading.Lock()
        self.closed = False

    def __enter__(self) -> Sandbox:
        """Use as ``with Sandbox(config) as sandbox:``."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Drain the spares on exit."""
        self.close()

    def close(self) -> None:
        """Kill the spares and wait until no container of this sandbox remains."""
        if not self.closed:
            self.closed = True
            with self.pools_lock:
                pools = [self.pool, *self.service_pools.values()]
                self.service_pools.clear()
            for pool in pools:
                pool.close()
            if self.own_client:
                self.client.close()

    def reap_orphans(self) -> int:
        """Remove runners left by processes that died (or that are too old); return how many."""
        now = time.time()
        count = 0
        for item in list_runners(self.client):
            if is_orphan(item.get("Labels") or {}, self.config.owner, ORPHAN_MAX_AGE, now):
                count += remove_container(self.client, item["Id"])
        return count

    def _pool_for(self, image: str, limits: Limits, services: bool) -> WarmPool:
        """The pool a job's runner comes from: the default pool, or for a job with services
        the pool of spares for its image and limits (started on first use, its servers
        already running in each spare)."""
        if not services or self.config.services_pool_size <= 0:
            return self.pool
        key = (image, limits.container_key())
        with self.pools_lock:
            pool = self.service_pools.get(key)
            if pool is None:
                size, owner = self.config.services_pool_size, self.config.owner
                pool = WarmPool(self.client, image, limits, size, owner,
                                self.config.preload_pytest, services=True)  # fmt: skip
                self.service_pools[key] = pool
        return pool

    def image_for(self, profile: str) -> str:
        """The runner image of ``profile``: the configured one for the default profile,
        else the profile's current build, which must exist."""
        if profile == "default":
            return self.image
        image = image_tag(profile)
        if image not in self.images_seen:
            if not image_exists(self.client, image):
                command = f"flask sandbox build-image --profile {profile}"
                raise ImageMissingError(f"the sandbox image {image} is not built: run `{command}`")
            self.images_seen.add(image)
        return image

    def _execute(
        self,
        task: TaskSpec,
        payload: dict[str, Any],
        wall: float | None = None,
        on_output: OnOutput | None = None,
    ) -> RawRun:
        """Run one job in a fresh runner (retrying once if a spare turns out broken) within
        ``wall`` seconds (the task's wall-clock limit unless its kind gives a graded job more);
        ``on_output`` receives its output while it runs (pad runs only)."""
        if self.closed:
            raise SandboxError("the sandbox is closed")
        kind = task.kind_class
        limits = kind.runner_limits(task)
        image = self.image_for(kind.image_profile(task))
        wall = limits.wall_seconds if wall is None else wall
        payload = {**payload, "wall": wall, "output_cap": limits.output_kb * 1024}
        pool = self._pool_for(image, limits, bool(payload.get("services")))
        with self.slots:
            for attempt in (1, 2):
                runner: Runner = pool.acquire(limits, image)
                try:
                    return runner.execute(payload, wall, self.config.wall_grace, on_output)
                except RunnerBrokenError:
                    if attempt == 2:
                        raise
                finally:
                    pool.release(runner)
        raise SandboxError("unreachable")  # pragma: no cover

    def record_golden(self, task: TaskSpec) -> Golden:
        """Run the reference solution and record its observations (twice: must agree)."""
        runs = [self._golden_once(task) for _ in range(2)]
        (first, cpu1, weights), (second, cpu2, _) = runs
        differ = sorted(k for k in first if k not in second or not same(first[k], second[k]))
        if differ:
            raise GoldenError(f"{task.slug}: probes are not deterministic: {', '.join(differ)}")
        return Golden(
            task=task.slug,
            content_hash=task.content_hash,
            observations=first,
            weights=weights,
            reference_cpu_s=min(cpu1, cpu2),
            image=self.image,
        )

    def _golden_once(self, task: TaskSpec) -> tuple[dict[str, Any], float, dict[str, float]]:
        """One reference run: observations, host-measured CPU seconds, probe weights."""
        kind = task.kind_class
        raw = self._execute(task, kind.job(task, task.reference), kind.wall(task))
        ctx = Context(task)
        stopped = host_failure(ctx, raw, kind.wall(task))
        if stopped is not None:
            raise GoldenError(f"{task.slug}: reference run failed: {stopped.reason}")
        seen, weights = kind.golden(ctx, raw)
        return seen, raw.cpu_s or 0.0, weights

    def _check(self, task: TaskSpec, source: bytes) -> CheckedSource | RunResult:
        """Check the submission's bytes; a REJECTED result when unusable."""
        try:
            return task.kind_class.check_source(task, source, self.config.source_limit)
        except SourceRejectedError as exc:
            return RunResult(task=task.slug, verdict=Verdict.REJECTED, score=0.0, reason=str(exc))

    def grade(self, task: TaskSpec, source: bytes, golden: Golden) -> RunResult:
        """Grade a submission with the hidden probes (or the bugs, for write-tests)."""
        if golden.content_hash != task.content_hash:
            raise GoldenError(f"{task.slug}: the golden observations are stale; record them again")
        checked = self._check(task, source)
        if isinstance(checked, RunResult):
            return checked
        ctx = Context(task, suspicion_flags(checked.tree), checked.notes, source=checked.text)
        kind = task.kind_class
        raw = self._execute(task, kind.job(task, checked.text), kind.wall(task))
        return kind.grade(ctx, golden, raw)

    def run_samples(self, task: TaskSpec, source: bytes) -> RunResult:
        """Run the visible sample tests on a submission (informative, never scored)."""
        checked = self._check(task, source)
        if isinstance(checked, RunResult):
            return checked
        ctx = Context(task, suspicion_flags(checked.tree), checked.notes, kind="samples")
        raw = self._execute(task, task.kind_class.samples_job(task, checked.text))
        return samples_result(ctx, raw)

    def run_files(
        self,
        task: TaskSpec,
        files: dict[str, str],
        main: str | None,
        on_output: OnOutput | None = None,
    ) -> RunResult:
        """Run a set of files as they stand (a live interview's pad): ``python main`` when
        ``main`` is given, else pytest on the files whose names start with ``test_``.
        Each Python file is checked like a submission first; nothing here is scored.
        ``on_output`` receives what the run prints while it runs, as a preview (the result
        stays the authority)."""
        checked: dict[str, str] = {}
        flags: tuple[str, ...] = ()
        notes: list[str] = []
        for name, text in files.items():
            result = self._check(task, text.encode("utf-8"))
            if isinstance(result, RunResult):
                return replace(result, reason=f"{name}: {result.reason}")
            checked[name] = result.text
            flags += suspicion_flags(result.tree)
            notes += result.notes
        ctx = Context(task, flags, tuple(notes), kind="samples")
        if main is not None:
            job = {"mode": "script", "files": checked, "main": main}
            raw = self._execute(task, job, on_output=on_output)
            return script_result(ctx, raw)
        tests = sorted(name for name in checked if name.startswith("test_"))
        if not tests:
            return RunResult(task=task.slug, verdict=Verdict.REJECTED, score=0.0,
                             reason="there is no test file to run")  # fmt: skip
        job = {"mode": "samples", "files": checked, "tests": tests[0]}
        raw = self._execute(task, job, on_output=on_output)
        return samples_result(ctx, raw)
