"""Fixtures for grading through the real sandbox (Docker required under CI=true)."""

from __future__ import annotations

import os

import pytest

from sandbox import SandboxConfig, docker_available
from tests.conftest import require


@pytest.fixture(scope="session")
def docker_ready() -> None:
    """The Docker engine and the runner image are there."""
    require(docker_available(SandboxConfig.from_env(os.environ)), "Docker sandbox")


@pytest.fixture(scope="session", autouse=True)
def drain_sandbox() -> object:
    """Drain the process's warm pool when the session ends (no container left behind)."""
    from assess.grading.sandbox_service import shutdown

    yield None
    shutdown()
