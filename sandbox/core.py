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

from sandbox.config import SandboxConfig
from sandbox.container import (
    RawRun,
    Runner,
    RunnerBrokenError,
    is_orphan,
    list_runners,
    remove_container,
)
from sandbox.disguise import disguise
from sandbox.errors import EngineUnavailableError, GoldenError, ImageMissingError, SandboxError
from sandbox.flags import suspicion_flags
from sandbox.grading import (
    Context,
    ReportInvalidError,
    effective_wall,
    grade_probes,
    grade_write_tests,
    host_failure,
    observations,
    parse_report,
    same,
    samples_result,
    script_result,
    write_tests_budget,
    write_tests_ids,
)
from sandbox.image import image_exists, image_tag
from sandbox.pool import WarmPool
from sandbox.results import Golden, RunResult, Verdict
from sandbox.source import CheckedSource, SourceRejectedError, check_source
from sandbox.taskdir import TaskSpec

ORPHAN_MAX_AGE = 3600.0
BAD_GOLDEN = ("crashed", "timeout", "not_run", "unencodable", "output")


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
            self.pool.close()
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

    def _execute(self, task: TaskSpec, payload: dict[str, Any]) -> RawRun:
        """Run one job in a fresh runner (retrying once if a spare turns out broken)."""
        if self.closed:
            raise SandboxError("the sandbox is closed")
        limits = task.limits
        wall = limits.wall_seconds
        if payload["mode"] == "write-tests":
            per_run, wall = write_tests_budget(wall, len(payload["implementations"]))
            payload = {**payload, "per_run": per_run}
        payload = {**payload, "wall": wall, "output_cap": limits.output_kb * 1024}
        with self.slots:
            for attempt in (1, 2):
                runner: Runner = self.pool.acquire(limits)
                try:
                    return runner.execute(payload, wall, self.config.wall_grace)
                except RunnerBrokenError:
                    if attempt == 2:
                        raise
                finally:
                    self.pool.release(runner)
        raise SandboxError("unreachable")  # pragma: no cover

    def _payload(self, task: TaskSpec, candidate: str) -> dict[str, Any]:
        """The job for grading ``candidate`` against ``task``."""
        if task.uses_probes:
            return {
                "mode": "probes",
                "module": task.module,
                "files": {task.candidate_file: candidate},
                "probes": task.probes,
            }
        implementations = {"implementation": disguise(task.implementation)}
        for name in sorted(task.variants):
            implementations[f"variant/{name}"] = disguise(task.variants[name])
        for name in sorted(task.buggy):
            implementations[f"buggy/{name}"] = disguise(task.buggy[name])
        return {
            "mode": "write-tests",
            "tests": candidate,
            "test_name": task.candidate_file,
            "implementations": implementations,
        }

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
        raw = self._execute(task, self._payload(task, task.reference))
        ctx = Context(task)
        stopped = host_failure(ctx, raw, effective_wall(task))
        if stopped is not None:
            raise GoldenError(f"{task.slug}: reference run failed: {stopped.reason}")
        mode = "probes" if task.uses_probes else "write-tests"
        try:
            report = parse_report(raw, mode)
            ids = [p["id"] for p in report["probes"]]
            if not task.uses_probes:
                ids = write_tests_ids(task)
            seen = observations(report, ids)
        except ReportInvalidError as exc:
            detail = (raw.harness_stderr or "")[-300:]
            raise GoldenError(f"{task.slug}: reference report invalid: {exc} {detail}") from exc
        if report["state"] != "done":
            raise GoldenError(f"{task.slug}: reference run stopped: {report['state']}")
        if task.uses_probes:
            bad = [k for k, v in seen.items() if isinstance(v, dict) and set(v) & set(BAD_GOLDEN)]
            if bad or not seen:
                raise GoldenError(
                    f"{task.slug}: reference fails probes {', '.join(bad) or '(no probes)'}: "
                    f"{str(report.get('stderr', ''))[-300:]}"
                )
        else:
            result = grade_write_tests(ctx, raw)
            if not result.passed:
                raise GoldenError(f"{task.slug}: reference tests do not earn full marks: "
                                  f"{result.reason}")  # fmt: skip
        weights = {run_id: 1.0 if run_id.startswith("buggy/") else 0.0 for run_id in seen}
        if task.uses_probes:
            weights = {p["id"]: _weight(p.get("weight")) for p in report["probes"]}
        return seen, raw.cpu_s or 0.0, weights

    def _check(self, task: TaskSpec, source: bytes) -> CheckedSource | RunResult:
        """Check the submission's bytes; a REJECTED result when unusable."""
        try:
            return check_source(source, self.config.source_limit, task.candidate_file)
        except SourceRejectedError as exc:
            return RunResult(task=task.slug, verdict=Verdict.REJECTED, score=0.0, reason=str(exc))

    def grade(self, task: TaskSpec, source: bytes, golden: Golden) -> RunResult:
        """Grade a submission with the hidden probes (or the bugs, for write-tests)."""
        if golden.content_hash != task.content_hash:
            raise GoldenError(f"{task.slug}: the golden observations are stale; record them again")
        checked = self._check(task, source)
        if isinstance(checked, RunResult):
            return checked
        ctx = Context(task, suspicion_flags(checked.tree), checked.notes)
        raw = self._execute(task, self._payload(task, checked.text))
        if task.uses_probes:
            return grade_probes(ctx, golden, raw)
        return grade_write_tests(ctx, raw)

    def run_samples(self, task: TaskSpec, source: bytes) -> RunResult:
        """Run the visible sample tests on a submission (informative, never scored)."""
        checked = self._check(task, source)
        if isinstance(checked, RunResult):
            return checked
        if task.kind == "write-tests":
            files = {"solution.py": task.implementation, task.candidate_file: checked.text}
            tests = task.candidate_file
        else:
            files = {task.candidate_file: checked.text, "visible_tests.py": task.visible_tests}
            tests = "visible_tests.py"
        ctx = Context(task, suspicion_flags(checked.tree), checked.notes, kind="samples")
        raw = self._execute(task, {"mode": "samples", "files": files, "tests": tests})
        return samples_result(ctx, raw)

    def run_files(self, task: TaskSpec, files: dict[str, str], main: str | None) -> RunResult:
        """Run a set of files as they stand (a live interview's pad): ``python main`` when
        ``main`` is given, else pytest on the files whose names start with ``test_``.
        Each Python file is checked like a submission first; nothing here is scored."""
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
            raw = self._execute(task, {"mode": "script", "files": checked, "main": main})
            return script_result(ctx, raw)
        tests = sorted(name for name in checked if name.startswith("test_"))
        if not tests:
            return RunResult(task=task.slug, verdict=Verdict.REJECTED, score=0.0,
                             reason="there is no test file to run")  # fmt: skip
        raw = self._execute(task, {"mode": "samples", "files": checked, "tests": tests[0]})
        return samples_result(ctx, raw)


def _weight(value: Any) -> float:
    """A probe weight from the reference run's report."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    raise GoldenError(f"bad probe weight {value!r}")
