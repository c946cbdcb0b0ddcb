"""A project task that needs PostgreSQL and Redis: both run inside the candidate's own
locked-down runner (services image), the probes query them, and a project that kills its
servers, fills the disk or its database, or forks servers of its own harms only its own run."""

from __future__ import annotations

import time

import docker
import pytest

from sandbox import Golden, Sandbox, SandboxConfig, TaskSpec, Verdict
from sandbox import workspace as ws
from sandbox.container import list_runners

from .helpers import TASKS, edited, task

pytestmark = pytest.mark.docker

FOLDER = TASKS / "notes-project"


@pytest.fixture(scope="module")
def notes() -> TaskSpec:
    """The fixture project with services."""
    return task("notes-project")


@pytest.fixture(scope="module")
def golden(sandbox: Sandbox, notes: TaskSpec) -> Golden:
    """Golden observations from the reference project, with its services."""
    return sandbox.record_golden(notes)


def test_the_services_image_and_room_for_the_cluster(notes: TaskSpec) -> None:
    """The kind asks for the services image and a tmpfs that holds a cluster."""
    kind = notes.kind_class
    assert kind.image_profile(notes) == "services"
    assert kind.runner_limits(notes).tmpfs_mb >= 64
    plain = task("ledger-project")
    assert plain.kind_class.image_profile(plain) == "default"
    assert plain.kind_class.runner_limits(plain) == plain.limits


def test_reference_correct_starter_and_faulty(
    sandbox: Sandbox, notes: TaskSpec, golden: Golden
) -> None:
    """Observations come from the real database and cache: the reference and both correct
    projects pass, the starter's stale count and the faulty missing expiry lose points."""
    assert golden.observations["count-follows-adds"] == 2
    assert golden.observations["recent-newest-first"] == ["newer", "older"]
    assert sandbox.grade(notes, notes.reference.encode(), golden).verdict is Verdict.PASSED
    for name, source in notes.kind_class.authored(notes, FOLDER, "correct").items():
        assert sandbox.grade(notes, source, golden).verdict is Verdict.PASSED, name
    starter = sandbox.grade(notes, notes.starter.encode(), golden)
    assert {t.id for t in starter.tests if not t.passed} == {
        "count-follows-adds",
        "cached-count-expires",
        "rows-in-postgres",
    }
    faulty = sandbox.grade(notes, notes.faulty["no-cache-expiry"].encode(), golden)
    assert [t.id for t in faulty.tests if not t.passed] == ["cached-count-expires"]


def test_samples_reach_the_services(sandbox: Sandbox, notes: TaskSpec) -> None:
    """The project's own test talks to PostgreSQL and Redis in its runner."""
    result = sandbox.run_samples(notes, notes.reference.encode())
    assert result.verdict is Verdict.PASSED, result.reason + result.stdout + result.stderr


def test_a_project_that_kills_its_services_harms_only_itself(
    sandbox: Sandbox, notes: TaskSpec, golden: Golden
) -> None:
    """Killing PostgreSQL and Redis at import, or filling the disk, fails that run alone;
    the next run gets fresh services."""
    killer = (
        "import os, signal\n"
        "for pid in os.listdir('/proc'):\n"
        "    if pid.isdigit() and int(pid) != os.getpid():\n"
        "        try:\n"
        "            name = open(f'/proc/{pid}/comm').read().strip()\n"
        "        except OSError:\n"
        "            continue\n"
        "        if name.startswith(('postgres', 'redis')):\n"
        "            os.kill(int(pid), signal.SIGKILL)\n"
        + ws.parse(notes.reference)["notes/store.py"]
    )
    killed = sandbox.grade(notes, edited(notes, {"notes/store.py": killer}), golden)
    assert killed.score < 1.0
    filler = (
        "try:\n"
        "    with open('/tmp/services/fill', 'wb') as fh:\n"
        "        while True:\n"
        "            fh.write(b'x' * (1 << 20))\n"
        "except OSError:\n"
        "    pass\n" + ws.parse(notes.reference)["notes/store.py"]
    )
    filled = sandbox.grade(notes, edited(notes, {"notes/store.py": filler}), golden)
    assert filled.verdict in (Verdict.PASSED, Verdict.FAILED, Verdict.ERROR)
    again = sandbox.grade(notes, notes.reference.encode(), golden)
    assert again.verdict is Verdict.PASSED, again.reason


def test_spares_wait_with_their_services_up_and_a_crash_restarts_them(
    sandbox: Sandbox, notes: TaskSpec, golden: Golden
) -> None:
    """A project with services takes a spare whose servers already run; a probe that kills
    its own process costs that probe only: the next probe gets fresh servers."""
    assert sandbox.grade(notes, notes.reference.encode(), golden).verdict is Verdict.PASSED
    (pool,) = sandbox.service_pools.values()
    assert pool.services and pool.settle(60) and len(pool.spares) >= 1
    crash = ws.parse(notes.reference)["notes/store.py"].replace(
        "def recent(limit):", "def recent(limit):\n    import os\n    os._exit(3)\n", 1
    )
    result = sandbox.grade(notes, edited(notes, {"notes/store.py": crash}), golden)
    assert [t.id for t in result.tests if not t.passed] == ["recent-newest-first"]


# Prepended to the reference's store.py: servers forked at import that outlive the import.
FORKER = """\
import os, socket, time
import psycopg
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        server = socket.socket(socket.AF_UNIX)
        server.bind('/tmp/evil.sock')
        server.listen()
        while True:
            server.accept()[0].close()
    os._exit(0)
if os.fork() == 0:
    conn = psycopg.connect()
    conn.execute('CREATE TABLE IF NOT EXISTS note (id serial PRIMARY KEY, body text NOT NULL)')
    conn.commit()
    conn.execute('LOCK TABLE note IN ACCESS EXCLUSIVE MODE')
    time.sleep(3600)
for _ in range(20):
    if os.fork() == 0:
        time.sleep(3600)
        os._exit(0)
time.sleep(0.5)
"""
# Rows inserted until the cluster cannot write any more.
FILLER = """\
import psycopg
try:
    with psycopg.connect(autocommit=True) as conn:
        conn.execute('CREATE TABLE ballast (filler text)')
        conn.execute('ALTER TABLE ballast ALTER filler SET STORAGE EXTERNAL')
        while True:
            conn.execute('INSERT INTO ballast SELECT repeat(md5(random()::text), 32768)'
                         ' FROM generate_series(1, 8)')
except psycopg.Error as exc:
    print('database full:', type(exc).__name__)
"""
LEFT_BEHIND = """\
import psycopg
with psycopg.connect(autocommit=True) as conn:
    LEFT = conn.execute("SELECT to_regclass('ballast') IS NOT NULL").fetchone()[0]
print('ballast left:', LEFT)
"""


def test_servers_a_project_forks_die_with_its_run(
    sandbox: Sandbox,
    notes: TaskSpec,
    golden: Golden,
    config: SandboxConfig,
    docker_client: docker.DockerClient,
) -> None:
    """A project that forks servers at import (a detached daemon serving a socket, a process
    holding a lock on the probes' table forever, a crowd of sleepers) fails its own run in
    bounded time; nothing of it is left running and the next run passes."""
    store = ws.parse(notes.reference)["notes/store.py"]
    started = time.monotonic()
    result = sandbox.grade(notes, edited(notes, {"notes/store.py": FORKER + store}), golden)
    elapsed = time.monotonic() - started
    assert result.verdict is not Verdict.PASSED
    assert elapsed < notes.limits.wall_seconds + config.wall_grace + 10
    spares = config.pool_size + config.services_pool_size
    deadline = time.monotonic() + 15
    while len(list_runners(docker_client, config.owner)) > spares and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(list_runners(docker_client, config.owner)) <= spares
    again = sandbox.grade(notes, notes.reference.encode(), golden)
    assert again.verdict is Verdict.PASSED, again.reason


def test_a_project_that_fills_its_database_harms_only_itself(
    sandbox: Sandbox, notes: TaskSpec, golden: Golden
) -> None:
    """Rows inserted until the cluster's tmpfs is full (its pages count against the
    runner's memory, so the run hits its memory limit or PostgreSQL cannot write): that run
    fails, and the next run's cluster is fresh (no trace of the rows) and the reference
    passes."""
    store = ws.parse(notes.reference)["notes/store.py"]
    result = sandbox.grade(notes, edited(notes, {"notes/store.py": FILLER + store}), golden)
    assert result.verdict is not Verdict.PASSED
    again = sandbox.grade(notes, edited(notes, {"notes/store.py": LEFT_BEHIND + store}), golden)
    assert again.verdict is Verdict.PASSED, again.reason
    assert "ballast left: False" in again.stdout
