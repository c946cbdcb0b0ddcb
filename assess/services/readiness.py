"""Readiness checks: can this process serve? Each check returns None or the reason."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa

from assess.extensions import DbSession

Check = Callable[[], "str | None"]


def database_problem(session: DbSession) -> str | None:
    """None when the database answers a trivial query."""
    try:
        session.execute(sa.text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        session.rollback()
        return f"database unreachable: {type(exc).__name__}"
    return None


def redis_problem(url: str) -> str | None:
    """None when Redis at ``url`` answers PING."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except Exception as exc:  # noqa: BLE001
        return f"redis unreachable: {type(exc).__name__}"
    return None


def docker_problem(environ: Mapping[str, str]) -> str | None:
    """None when the Docker engine for the sandbox answers."""
    from sandbox import SandboxConfig, docker_available

    return docker_available(SandboxConfig.from_env(environ))


def run_checks(checks: Mapping[str, Check]) -> tuple[bool, dict[str, Any]]:
    """Run every check; ready only when all pass. Returns (ready, per-check report)."""
    report: dict[str, Any] = {}
    ready = True
    for name, check in checks.items():
        problem = check()
        report[name] = "ok" if problem is None else problem
        ready = ready and problem is None
    return ready, report


_GRADING_CACHE: dict[str, tuple[float, str | None]] = {}
GRADING_CACHE_SECONDS = 30.0


def grading_problem(config: Mapping[str, Any]) -> str | None:
    """Why code grading is unavailable right now, or None; cached for a few seconds."""
    if not config.get("SANDBOX_ENABLED"):
        return "the sandbox is disabled by configuration (ASSESS_SANDBOX=0)"
    now = time.monotonic()
    cached = _GRADING_CACHE.get("docker")
    if cached and now - cached[0] < GRADING_CACHE_SECONDS:
        return cached[1]
    problem = docker_problem(os.environ)
    _GRADING_CACHE["docker"] = (now, problem)
    return problem
