"""Limits and configuration: defaults, overrides, the environment."""

from __future__ import annotations

import pytest

from sandbox import Limits, SandboxConfig


def test_defaults_are_sane() -> None:
    """The documented defaults."""
    limits = Limits()
    assert (limits.wall_seconds, limits.memory_mb, limits.pids) == (10.0, 256, 64)
    assert limits.container_key() == (256, 1.0, 64, 16, 256)


def test_overrides_keep_types() -> None:
    """A task may override limits; integers stay integers."""
    merged = Limits().merged({"wall_seconds": 5, "memory_mb": 128.0})
    assert merged.wall_seconds == 5.0
    assert merged.memory_mb == 128
    assert isinstance(merged.memory_mb, int)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nonsense": 1}, "unknown limit"),
        ({"memory_mb": -1}, "positive"),
        ({"memory_mb": True}, "positive"),
        ({"memory_mb": "lots"}, "positive"),
        ({"memory_mb": 100_000}, "ceiling"),
    ],
)
def test_bad_overrides_are_refused(overrides: dict[str, object], message: str) -> None:
    """Unknown keys, non-positive numbers and absurd values raise ValueError."""
    with pytest.raises(ValueError, match=message):
        Limits().merged(overrides)


def test_config_from_environment() -> None:
    """ASSESS_SANDBOX_* variables configure the sandbox; nothing else is read."""
    config = SandboxConfig.from_env(
        {
            "ASSESS_SANDBOX_IMAGE": "assess-sandbox:test",
            "ASSESS_SANDBOX_POOL_SIZE": "0",
            "ASSESS_SANDBOX_MAX_CONCURRENCY": "3",
            "ASSESS_SANDBOX_WALL_SECONDS": "4",
            "ASSESS_SANDBOX_MEMORY_MB": "192",
            "ASSESS_SANDBOX_DOCKER_URL": "unix:///var/run/docker.sock",
            "ASSESS_SANDBOX_PRELOAD_PYTEST": "0",
        }
    )
    assert config.preload_pytest is False
    assert config.image == "assess-sandbox:test"
    assert config.pool_size == 0
    assert config.max_concurrency == 3
    assert config.limits.wall_seconds == 4.0
    assert config.limits.memory_mb == 192
    assert config.docker_url == "unix:///var/run/docker.sock"


def test_config_defaults_from_empty_environment() -> None:
    """An empty environment gives the defaults."""
    config = SandboxConfig.from_env({})
    assert config.image is None
    assert config.pool_size == 2
    assert config.max_concurrency == 2
    assert config.limits == Limits()
    assert config.preload_pytest is True


@pytest.mark.parametrize("value", ["many", "-1"])
def test_config_rejects_bad_numbers(value: str) -> None:
    """A malformed number names the variable."""
    with pytest.raises(ValueError, match="ASSESS_SANDBOX_POOL_SIZE"):
        SandboxConfig.from_env({"ASSESS_SANDBOX_POOL_SIZE": value})
