"""Sandbox configuration: limits with defaults, per-task overrides, the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

DEFAULT_SOURCE_LIMIT = 256 * 1024


@dataclass(frozen=True)
class Limits:
    """Resource limits of one run. Task folders may override any of them."""

    wall_seconds: float = 10.0
    memory_mb: int = 256
    cpus: float = 1.0
    pids: int = 64
    tmpfs_mb: int = 16
    output_kb: int = 1024
    nofile: int = 256
    cpu_budget_factor: float = 3.0

    def container_key(self) -> tuple[int, float, int, int, int]:
        """The limits fixed at container creation (spares are pooled per key)."""
        return (self.memory_mb, self.cpus, self.pids, self.tmpfs_mb, self.nofile)

    def merged(self, overrides: Mapping[str, Any]) -> Limits:
        """A copy with ``overrides`` applied; unknown keys or bad values raise ValueError."""
        known = {f.name: f.type for f in fields(self)}
        values: dict[str, Any] = {}
        for key, value in overrides.items():
            if key not in known:
                raise ValueError(f"unknown limit {key!r}")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"limit {key} must be a positive number")
            current = getattr(self, key)
            values[key] = type(current)(value)
        merged = replace(self, **values)
        if merged.wall_seconds > 300 or merged.memory_mb > 4096 or merged.pids > 4096:
            raise ValueError("limits are above the platform's ceiling")
        return merged


def _number(environ: Mapping[str, str], name: str, default: float) -> float:
    """Read a positive number from ``environ``."""
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, not {raw!r}") from exc
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return value


@dataclass(frozen=True)
class SandboxConfig:
    """How the sandbox talks to Docker and how hard it works."""

    image: str | None = None
    docker_url: str | None = None
    pool_size: int = 2
    services_pool_size: int = 1  # spares per services image and limits, started on first use
    max_concurrency: int = 2
    limits: Limits = field(default_factory=Limits)
    source_limit: int = DEFAULT_SOURCE_LIMIT
    wall_grace: float = 3.0
    preload_pytest: bool = True
    owner: str = field(default_factory=lambda: f"{os.uname().nodename}:{os.getpid()}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SandboxConfig:
        """Build a config from ``ASSESS_SANDBOX_*`` variables (see sandbox/README.md)."""
        env = os.environ if environ is None else environ
        limits = Limits().merged(
            {
                key: value
                for key, value in {
                    "wall_seconds": _number(env, "ASSESS_SANDBOX_WALL_SECONDS", 0),
                    "memory_mb": _number(env, "ASSESS_SANDBOX_MEMORY_MB", 0),
                    "pids": _number(env, "ASSESS_SANDBOX_PIDS", 0),
                    "cpus": _number(env, "ASSESS_SANDBOX_CPUS", 0),
                }.items()
                if value
            }
        )
        return cls(
            image=env.get("ASSESS_SANDBOX_IMAGE") or None,
            docker_url=env.get("ASSESS_SANDBOX_DOCKER_URL") or env.get("DOCKER_HOST") or None,
            pool_size=int(_number(env, "ASSESS_SANDBOX_POOL_SIZE", 2)),
            services_pool_size=int(_number(env, "ASSESS_SANDBOX_SERVICES_POOL_SIZE", 1)),
            max_concurrency=max(1, int(_number(env, "ASSESS_SANDBOX_MAX_CONCURRENCY", 2))),
            limits=limits,
            preload_pytest=env.get("ASSESS_SANDBOX_PRELOAD_PYTEST", "1").lower()
            in ("1", "true", "yes"),
        )
