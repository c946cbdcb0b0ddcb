"""Fixtures for the sandbox's integration tests against the real Docker engine.

Tests use small limits so that every hostile case ends quickly. Without a
reachable engine they skip on a developer's machine and fail under CI=true.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import docker
import pytest

from sandbox import Golden, Sandbox, SandboxConfig, TaskSpec
from sandbox.container import list_runners
from sandbox.core import connect
from sandbox.errors import EngineUnavailableError
from sandbox.image import build_image

from .helpers import TEST_LIMITS, task

# The fixture task folders hold projects with test files of their own (some failing on
# purpose, as starters do): they are task content, never part of this suite.
collect_ignore = ["tasks"]

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_docker() -> docker.DockerClient:
    """A Docker client; skip (or fail under CI=true) when the engine is unreachable."""
    try:
        return connect(SandboxConfig())
    except EngineUnavailableError as exc:
        if IN_CI:
            pytest.fail(f"{exc} (required under CI=true)")
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def docker_client() -> Iterator[docker.DockerClient]:
    """A client of the real engine."""
    client = require_docker()
    yield client
    client.close()


@pytest.fixture(scope="session")
def image(docker_client: docker.DockerClient) -> str:
    """The runner image, built if its inputs changed."""
    return build_image(log=lambda _: None, client=docker_client)


@pytest.fixture(scope="session")
def config(image: str) -> SandboxConfig:
    """A sandbox config with the small test limits."""
    return SandboxConfig(image=image, pool_size=2, max_concurrency=2, limits=TEST_LIMITS,
                         wall_grace=2.0)  # fmt: skip


@pytest.fixture(scope="session")
def sandbox(config: SandboxConfig, docker_client: docker.DockerClient) -> Iterator[Sandbox]:
    """One sandbox (with its warm pool) for the whole session; leaves nothing behind."""
    with Sandbox(config) as box:
        yield box
    assert list_runners(docker_client, config.owner) == []


@pytest.fixture(scope="session")
def word_count() -> TaskSpec:
    """A small implement task."""
    return task("word-count")


@pytest.fixture(scope="session")
def word_count_golden(sandbox: Sandbox, word_count: TaskSpec) -> Golden:
    """Golden observations of the word-count reference."""
    return sandbox.record_golden(word_count)
