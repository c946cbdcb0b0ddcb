"""Container lifecycle: orphan reaping, readiness checks, bounded concurrency, clean shutdown."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import docker
import pytest

from sandbox import Golden, Sandbox, SandboxConfig, TaskSpec, Verdict, docker_available
from sandbox.container import LABEL, OWNER_LABEL, Cgroup, Runner, list_runners
from sandbox.errors import EngineUnavailableError, ImageMissingError, SandboxError
from sandbox.pool import WarmPool

from .helpers import TEST_LIMITS

pytestmark = pytest.mark.docker


def test_docker_available(config: SandboxConfig) -> None:
    """None when the engine answers and the image exists, else a reason."""
    assert docker_available(config) is None
    missing = SandboxConfig(image="assess-sandbox:does-not-exist")
    assert "not built" in str(docker_available(missing))
    unreachable = SandboxConfig(docker_url="unix:///nonexistent/docker.sock")
    assert "unreachable" in str(docker_available(unreachable))


def test_sandbox_refuses_a_missing_image_or_engine() -> None:
    """Named errors instead of a crash."""
    with pytest.raises(ImageMissingError, match="build-image"):
        Sandbox(SandboxConfig(image="assess-sandbox:does-not-exist", pool_size=0))
    with pytest.raises(EngineUnavailableError):
        Sandbox(SandboxConfig(docker_url="unix:///nonexistent/docker.sock"))


def test_orphans_of_dead_processes_are_reaped(
    image: str, config: SandboxConfig, docker_client: docker.DockerClient
) -> None:
    """A runner left by a crashed process is removed when a sandbox starts."""
    dead_owner = f"{config.owner.rsplit(':', 1)[0]}:{2**22 + 4242}"
    orphan = Runner(docker_client, image, TEST_LIMITS, dead_owner)
    try:
        orphan.wait_ready()
        assert list_runners(docker_client, dead_owner)
        with Sandbox(SandboxConfig(image=image, pool_size=0, limits=TEST_LIMITS)) as box:
            assert box.reaped >= 1
        assert list_runners(docker_client, dead_owner) == []
    finally:
        orphan.dispose()


def test_runners_are_locked_down(
    image: str, docker_client: docker.DockerClient, config: SandboxConfig
) -> None:
    """The container's HostConfig carries every restriction of the trust model."""
    runner = Runner(docker_client, image, TEST_LIMITS, config.owner)
    try:
        info = docker_client.api.inspect_container(runner.id)
        host = info["HostConfig"]
        assert host["NetworkMode"] == "none"
        assert host["CapDrop"] == ["ALL"]
        assert host["SecurityOpt"] == ["no-new-privileges"]
        assert host["ReadonlyRootfs"] is True
        assert host["Memory"] == host["MemorySwap"] == 128 * 2**20
        assert host["PidsLimit"] == 48
        assert host["NanoCpus"] == 10**9
        assert "size=8m" in host["Tmpfs"]["/tmp"]
        assert not host["Binds"]
        assert not host.get("Privileged")
        assert info["Config"]["User"] == "10001:10001"
        assert sorted(e.split("=")[0] for e in info["Config"]["Env"]) == [
            "HOME", "LANG", "PATH", "PYTHONDONTWRITEBYTECODE"]  # fmt: skip
        assert info["Config"]["Labels"][LABEL] == "runner"
        assert info["Config"]["Labels"][OWNER_LABEL] == config.owner
    finally:
        runner.dispose()


def test_a_runner_is_used_once(
    image: str, docker_client: docker.DockerClient, config: SandboxConfig
) -> None:
    """A second job on the same runner is refused."""
    runner = Runner(docker_client, image, TEST_LIMITS, config.owner)
    try:
        job = {"mode": "probes", "module": "solution", "files": {"solution.py": "x = 1\n"},
               "probes": "", "wall": 2, "output_cap": 1000}  # fmt: skip
        first = runner.execute(job, 2, 2)
        assert first.status == "ok"
        assert not runner.healthy()
        with pytest.raises(SandboxError, match="exactly once"):
            runner.execute(job, 2, 2)
    finally:
        runner.dispose()


def test_a_dead_spare_is_replaced(
    image: str, docker_client: docker.DockerClient, config: SandboxConfig
) -> None:
    """A spare that died while idle is discarded and a fresh runner is used."""
    pool = WarmPool(docker_client, image, TEST_LIMITS, 1, config.owner + "-pool")
    try:
        assert pool.settle(30)
        spare = pool.spares[0]
        docker_client.api.kill(spare.id)
        time.sleep(0.3)
        runner = pool.acquire(TEST_LIMITS)
        assert runner is not spare
        assert runner.healthy()
        pool.release(runner)
    finally:
        pool.close()
    assert list_runners(docker_client, config.owner + "-pool") == []


def test_concurrency_is_bounded(
    image: str, word_count: TaskSpec, word_count_golden: Golden
) -> None:
    """With max_concurrency=1, two slow submissions run one after the other."""
    slow = b"import time\ndef count_words(text):\n    time.sleep(0.3)\n"
    config = SandboxConfig(image=image, pool_size=2, max_concurrency=1, limits=TEST_LIMITS)
    with Sandbox(config) as box:
        results = []

        def submit() -> None:
            results.append(box.grade(word_count, slow, word_count_golden))

        started = time.monotonic()
        threads = [threading.Thread(target=submit) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    assert [r.verdict for r in results] == [Verdict.FAILED, Verdict.FAILED]
    assert elapsed > 2 * 5 * 0.3
    with pytest.raises(SandboxError, match="closed"):
        box.grade(word_count, slow, word_count_golden)


def test_usage_falls_back_to_the_stats_api(
    image: str,
    docker_client: docker.DockerClient,
    config: SandboxConfig,
    tmp_path: Path,
) -> None:
    """Without the host's cgroup files (e.g. the app in a container), the Engine reports CPU."""
    runner = Runner(docker_client, image, TEST_LIMITS, config.owner)
    try:
        runner.cgroup = Cgroup(runner.id, root=tmp_path)
        probes = "from probekit import probe\n@probe('x')\ndef _(s):\n    return s.total\n"
        job = {"mode": "probes", "module": "solution",
               "files": {"solution.py": "total = sum(range(3_000_000))\n"},
               "probes": probes, "wall": 3, "output_cap": 1000}  # fmt: skip
        raw = runner.execute(job, 3, 2)
        assert raw.status == "ok"
        assert b"4499998500000" in (raw.report or b"")
        assert raw.cpu_s is not None
        assert raw.cpu_s > 0.01
        assert raw.peak_memory_mb is None or raw.peak_memory_mb > 1
    finally:
        runner.dispose()


def test_spares_can_preload_pytest(image: str, word_count: TaskSpec) -> None:
    """With preload_pytest, spares import pytest before they are ready; samples still run."""
    config = SandboxConfig(image=image, pool_size=1, limits=TEST_LIMITS, preload_pytest=True)
    with Sandbox(config) as box:
        assert box.pool.settle(30)
        result = box.run_samples(word_count, word_count.reference.encode())
    assert result.verdict is Verdict.PASSED
    assert len(result.tests) == 2
