"""Plain CLI functions that the app wires into ``flask sandbox build-image`` and ``flask grade``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sandbox.config import SandboxConfig
from sandbox.core import Sandbox
from sandbox.errors import SandboxError, TaskFormatError
from sandbox.image import ImageBuildError, build_image
from sandbox.image.profiles import DEFAULT
from sandbox.results import RunResult
from sandbox.taskdir import load_task


def format_result(result: RunResult) -> str:
    """A human-readable summary of a result."""
    lines = [f"{result.task}: {result.verdict.value}  score {result.score:.2f}"]
    if result.reason:
        lines.append(f"reason: {result.reason}")
    for test in result.tests:
        mark = "PASS" if test.passed else "FAIL"
        lines.append(f"  {mark} {test.id}: {test.message}")
    figures = [f"{result.duration_s:.3f} s"]
    if result.cpu_s is not None:
        figures.append(f"CPU {result.cpu_s:.3f} s")
    if result.peak_memory_mb is not None:
        figures.append(f"peak {result.peak_memory_mb:.1f} MB")
    lines.append("  ".join(figures))
    for flag in result.flags:
        lines.append(f"flag: {flag}")
    if result.stdout:
        lines.append("--- stdout ---\n" + result.stdout.rstrip())
    if result.stderr:
        lines.append("--- stderr ---\n" + result.stderr.rstrip())
    return "\n".join(lines)


def grade_file(
    tasks_root: Path,
    slug: str,
    file: Path,
    as_json: bool,
    config: SandboxConfig | None = None,
) -> tuple[int, str]:
    """Grade ``file`` as a submission to task ``slug``; return (exit code, text to print).

    The exit code is 0 whenever grading happened, whatever the verdict; 1 when
    the task, the file or the platform failed. No container is left behind.
    """
    task_dir = Path(tasks_root) / slug
    if not task_dir.is_dir():
        return 1, f"error: no task folder {task_dir}"
    config = config or SandboxConfig.from_env()
    try:
        task = load_task(task_dir, base_limits=config.limits)
    except TaskFormatError as exc:
        return 1, f"error: {exc}"
    try:
        source = Path(file).read_bytes()
    except OSError as exc:
        return 1, f"error: cannot read {file}: {exc.strerror or exc}"
    try:
        with Sandbox(config) as sandbox:
            golden = sandbox.record_golden(task)
            result = sandbox.grade(task, source, golden)
    except SandboxError as exc:
        return 1, f"error: {exc}"
    if as_json:
        return 0, json.dumps(result.to_json())
    return 0, format_result(result)


def build_image_command(
    offline: bool | None = None,
    force: bool = False,
    log: Callable[[str], object] = print,
    profile: str = DEFAULT.name,
) -> int:
    """Build the runner image of ``profile``; the exit status for the CLI."""
    try:
        build_image(offline=offline, force=force, log=log, profile=profile)
    except (ImageBuildError, SandboxError) as exc:
        log(f"error: {exc}")
        return 1
    return 0
