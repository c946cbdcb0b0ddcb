"""Benchmark: the platform's grading against bare host pytest of the same tests.

Both sides grade the same submissions of the same task. Bare pytest runs, per
submission, a fresh ``python -m pytest`` on the host (plugin autoloading off,
so the baseline is as lean as pytest gets) over a test file that
asserts each hidden probe's observation equals the golden one (the same
checks the sandbox makes, without any isolation). The platform grades through
``Sandbox.grade`` (fresh locked-down container per submission, warm pool).

A project task (``kind: project``) is graded the same way on both sides: bare pytest writes
the submitted project tree into its folder and runs the probes against the host's own
PostgreSQL and Redis, each submission with a database of its own and an emptied Redis
database, both prepared before its clock starts (``--postgres`` names the server, a libpq
connection string; ``--redis`` the Redis URL). The platform's runner starts its own
PostgreSQL and Redis inside the container, while the spare waits in the warm pool.

Latency: submissions one at a time, with a short idle gap between them as
when candidates submit sporadically (the pool refills during the gap; the
gap itself is not measured). Throughput: back-to-back submissions with 1, 2
and 4 concurrent workers; the platform's clock stops only when its used
containers are gone and the pool is full again.

    python bench/grading.py [--json] [--task PATH] [--runs N] [--gap S]
        [--postgres CONNINFO] [--redis URL]

The last line printed is a JSON object with ``latency_p50_ratio`` and
``throughput_ratio`` (2 workers), both platform / bare pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sandbox import Golden, Sandbox, SandboxConfig, TaskSpec, load_task, workspace  # noqa: E402
from tests.conftest import drop_database  # noqa: E402

DEFAULT_TASKS = (
    ROOT / "challenges" / "tasks" / "word-frequency",
    ROOT / "tests" / "integration" / "sandbox" / "tasks" / "word-count",
)
HARNESS = ROOT / "sandbox" / "harness"

HOST_TEST = """\
import json, sys
sys.path.insert(0, {harness!r})
import probekit
probekit.PROBES.clear()
import probes
import solution

GOLDEN = json.loads({golden!r})
BY_ID = {{p.id: p for p in probekit.PROBES}}


def _check(probe_id):
    assert probekit.observe(BY_ID[probe_id].fn, solution) == GOLDEN[probe_id]

"""


def percentile(values: list[float], share: float) -> float:
    """The ``share`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


class BarePytest:
    """Grades a submission with a fresh host pytest process (no isolation at all)."""

    def __init__(self, task: TaskSpec, golden: Golden) -> None:
        """Write the probes and a generated test module into a scratch folder."""
        self.scratch = tempfile.TemporaryDirectory(prefix="bench-pytest-")
        self.root = Path(self.scratch.name)
        self.task = task
        self.test_source = HOST_TEST.format(
            harness=str(HARNESS), golden=json.dumps(golden.observations)
        ) + "".join(
            f"\ndef test_{i}():\n    _check({pid!r})\n" for i, pid in enumerate(golden.probe_ids)
        )
        self.counter = 0

    def grade(self, source: str) -> bool:
        """Run pytest on one submission in its own folder; True when all tests pass."""
        self.counter += 1
        folder = self.root / f"s{self.counter}"
        folder.mkdir()
        (folder / f"{self.task.module}.py").write_text(source)
        (folder / "probes.py").write_text(self.task.probes)
        (folder / "test_hidden.py").write_text(
            self.test_source.replace("import solution", f"import {self.task.module} as solution")
        )
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_hidden.py"],
            cwd=folder,
            capture_output=True,
            check=False,
            env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        )
        return proc.returncode == 0

    def close(self) -> None:
        """Remove the scratch folder."""
        self.scratch.cleanup()


class BareProject(BarePytest):
    """Grades a project submission with a fresh host pytest process against the host's
    PostgreSQL and Redis: a database of its own per submission (created, and the Redis
    database emptied, before the clock starts), no isolation otherwise."""

    def __init__(self, task: TaskSpec, golden: Golden, postgres: str, redis_url: str) -> None:
        """Connect to the host's servers; databases are made per submission."""
        super().__init__(task, golden)
        import psycopg
        import redis

        self.postgres = postgres
        self.admin = psycopg.connect(postgres, autocommit=True)
        self.redis = redis.Redis.from_url(redis_url)
        self.redis_url = redis_url
        self.databases: list[str] = []
        self.ready: list[tuple[str, Path]] = []
        self.lock = threading.Lock()

    def prepare(self, count: int) -> None:
        """Make ``count`` fresh databases and folders, outside any measurement."""
        for _ in range(count):
            self.counter += 1
            name = f"bench_{os.getpid()}_{self.counter}"
            self.admin.execute(f'CREATE DATABASE "{name}"')
            self.databases.append(name)
            folder = self.root / f"s{self.counter}"
            folder.mkdir()
            self.ready.append((name, folder))

    def grade(self, source: str) -> bool:
        """Write the tree and the probes, run pytest on them; True when all tests pass."""
        with self.lock:
            if not self.ready:
                self.prepare(1)
            database, folder = self.ready.pop(0)
        for path, text in workspace.parse(source.encode()).items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(text)
        (folder / "bench_probes.py").write_text(self.task.probes)
        (folder / "test_hidden.py").write_text(
            self.test_source.replace("import probes", "import bench_probes as probes").replace(
                "import solution", f"import {self.task.module} as solution"
            )
        )
        env = {
            **os.environ,
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
            "PGDATABASE": database,
            "REDIS_URL": self.redis_url,
            **_libpq_environment(self.postgres),
        }
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_hidden.py"],
            cwd=folder,
            capture_output=True,
            check=False,
            env=env,
        )
        return proc.returncode == 0

    def between(self) -> None:
        """Empty the Redis database for the next submission (outside the measurement)."""
        self.redis.flushdb()

    def close(self) -> None:
        """Drop the databases and remove the scratch folder."""
        for name in self.databases:
            for statement in drop_database(name):
                self.admin.execute(statement)
        self.admin.close()
        super().close()


def _libpq_environment(conninfo: str) -> dict[str, str]:
    """The PG* variables that make ``psycopg.connect()`` (no arguments) reach ``conninfo``."""
    from psycopg.conninfo import conninfo_to_dict

    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}
    parts = conninfo_to_dict(conninfo)
    return {names[key]: str(value) for key, value in parts.items() if key in names}


def measure_latency(
    grade: Callable[[str], object],
    sources: list[str],
    gap: float,
    between: Callable[[], object] = lambda: None,
) -> list[float]:
    """Seconds per submission, one at a time, with ``gap`` idle seconds between them (and
    ``between``, unmeasured, before each)."""
    times = []
    for source in sources:
        time.sleep(gap)
        between()
        started = time.perf_counter()
        grade(source)
        times.append(time.perf_counter() - started)
    return times


def measure_throughput(
    grade: Callable[[str], object],
    sources: list[str],
    workers: int,
    settle: Callable[[], object] = lambda: None,
) -> float:
    """Submissions per second with ``workers`` concurrent submitters.

    The clock stops only after ``settle`` returns: for the platform, when every
    used container is gone and the pool is full again, so that deferred work
    (teardown, replacement spares) is paid inside the measurement.
    """
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(grade, sources))
    settle()
    return len(sources) / (time.perf_counter() - started)


def submissions(task: TaskSpec, count: int) -> list[str]:
    """``count`` submissions cycling through the reference and the faulty variants."""
    pool = [task.reference, *task.faulty.values()]
    return [pool[i % len(pool)] for i in range(count)]


def main() -> int:
    """Run the benchmark and print figures; the last line is JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="end with a JSON summary line")
    parser.add_argument("--task", type=Path, default=None, help="task folder to grade")
    parser.add_argument("--runs", type=int, default=40, help="submissions per measurement")
    parser.add_argument(
        "--gap",
        type=float,
        default=None,
        help="idle seconds between latency runs (default 0.4; 3 for tasks with services, "
        "whose spares start PostgreSQL and Redis)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "ASSESS_BENCH_POSTGRES", "host=127.0.0.1 user=assess password=assess dbname=postgres"
        ),
        help="libpq connection string of the host PostgreSQL for bare pytest (a role that "
        "may create databases)",
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("ASSESS_BENCH_REDIS", "redis://127.0.0.1:6379/15"),
        help="Redis URL for bare pytest (this database is emptied between submissions)",
    )
    args = parser.parse_args()
    folder = args.task or next(p for p in DEFAULT_TASKS if p.is_dir())
    task = load_task(folder)
    project = task.kind == "project"
    services = project and bool(task.kind_class.config(task)["services"])
    gap = args.gap if args.gap is not None else (3.0 if services else 0.4)
    sources = submissions(task, args.runs)
    results: dict[str, object] = {"task": task.slug, "runs": args.runs, "gap_s": gap}
    config = SandboxConfig.from_env()
    with Sandbox(
        SandboxConfig(
            image=config.image,
            pool_size=4,
            services_pool_size=2,
            max_concurrency=4,
            limits=config.limits,
            preload_pytest=config.preload_pytest,
        )
    ) as sandbox:
        golden = sandbox.record_golden(task)
        bare: BarePytest = (
            BareProject(task, golden, args.postgres, args.redis)
            if project
            else BarePytest(task, golden)
        )
        between = bare.between if isinstance(bare, BareProject) else (lambda: None)
        try:
            if isinstance(bare, BareProject):
                bare.prepare(4 * len(sources) + 4)  # every run below
            assert bare.grade(task.reference), "bare pytest must pass the reference"

            def platform(source: str) -> object:
                return sandbox.grade(task, source.encode(), golden)

            for name, grade in (("platform", platform), ("pytest", bare.grade)):
                hook = between if name == "pytest" else (lambda: None)
                measure_latency(grade, sources[:3], gap, hook)  # warm-up
                lat = measure_latency(grade, sources, gap, hook)
                results[f"{name}_latency_p50_s"] = round(statistics.median(lat), 4)
                results[f"{name}_latency_p95_s"] = round(percentile(lat, 0.95), 4)
                print(f"{name:8} latency p50 {statistics.median(lat):.3f} s  "
                      f"p95 {percentile(lat, 0.95):.3f} s")  # fmt: skip

            def settle() -> object:
                pools = (sandbox.pool, *sandbox.service_pools.values())
                return all(pool.settle() for pool in pools)

            for workers in (1, 2, 4):
                for name, grade in (("platform", platform), ("pytest", bare.grade)):
                    settle()
                    between()
                    rate = measure_throughput(
                        grade, sources, workers, settle if name == "platform" else lambda: None
                    )
                    results[f"{name}_throughput_{workers}w_per_s"] = round(rate, 2)
                    print(f"{name:8} throughput {workers} worker(s): {rate:.2f} submissions/s")
        finally:
            bare.close()
    results["latency_p50_ratio"] = round(
        float(results["platform_latency_p50_s"]) / float(results["pytest_latency_p50_s"]),
        3,  # type: ignore[arg-type]
    )
    results["throughput_ratio"] = round(
        float(results["platform_throughput_2w_per_s"])  # type: ignore[arg-type]
        / float(results["pytest_throughput_2w_per_s"]),  # type: ignore[arg-type]
        3,
    )
    print(
        f"latency p50 ratio {results['latency_p50_ratio']}x (target <= 1.0), "
        f"throughput ratio (2 workers) {results['throughput_ratio']}x (target >= 0.5)"
    )
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
