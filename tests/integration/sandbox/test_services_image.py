"""The services image: PostgreSQL 15, Redis and the web stack inside a locked-down runner.

The container gets exactly the runner's lock-down (``container.host_config`` and the
runner's create arguments), with the limits of :data:`SERVICES_LIMITS`; only the command
differs: the start script, then a check program that uses every service from inside.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import docker
import pytest
from flask.testing import FlaskCliRunner

from sandbox import Limits, SandboxConfig
from sandbox.container import (
    CREATED_LABEL,
    ENVIRONMENT,
    HOSTNAME,
    LABEL,
    OWNER_LABEL,
    SCRATCH,
    Demux,
    host_config,
)
from sandbox.image import ImageBuildError, build_image
from sandbox.image.profiles import SERVICES, SERVICES_PACKAGES

pytestmark = pytest.mark.docker

# What a runner needs for the services (measured: sandbox/README.md, "The services image").
SERVICES_LIMITS = Limits(memory_mb=256, pids=64, tmpfs_mb=64)
START = "/opt/assess/services.sh"
OUTPUT_CAP = 1024 * 1024

CHECK = r"""
import json, os, subprocess, tempfile

out = {}
import psycopg
with psycopg.connect(host="/tmp/services/pg", dbname="postgres") as conn:
    out["pg_user"] = conn.execute("select current_user").fetchone()[0]
    out["pg_version"] = conn.info.server_version
    conn.execute("create table note (id serial primary key, body text)")
    conn.execute("insert into note (body) values (%s), (%s)", ("one", "two"))
    out["pg_rows"] = [r[0] for r in conn.execute("select body from note order by id")]

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
engine = sa.create_engine("postgresql+psycopg2:///postgres?host=/tmp/services/pg")
with engine.begin() as conn:
    Operations(MigrationContext.configure(conn)).create_table(
        "candidate", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.Text))
    conn.execute(sa.text("insert into candidate (name) values ('ada')"))
    out["sqlalchemy"] = conn.execute(sa.text("select name from candidate")).scalar_one()
engine.dispose()

import redis
r = redis.Redis(unix_socket_path="/tmp/services/redis.sock")
out["redis_ping"] = r.ping()
r.set("greeting", "hello")
out["redis_get"] = r.get("greeting").decode()

from flask import Flask
app = Flask("check")
app.add_url_rule("/", "index", lambda: {"from": "flask"})
response = app.test_client().get("/")
out["flask"] = [response.status_code, response.get_json()]

from fastapi import FastAPI
from fastapi.testclient import TestClient
api = FastAPI()
@api.get("/double/{n}")
def double(n: int) -> dict:
    return {"n": n * 2}
response = TestClient(api).get("/double/21")
out["fastapi"] = [response.status_code, response.json()]

repo = tempfile.mkdtemp(dir="/tmp")
def git(*args):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True,
                          text=True).stdout.strip()
git("init", "-q")
with open(os.path.join(repo, "answer.txt"), "w") as f:
    f.write("42\n")
git("add", "answer.txt")
git("-c", "user.name=Runner", "-c", "user.email=runner@sandbox.invalid", "commit", "-qm", "first")
out["git_log"] = git("log", "--format=%s")

out["tcp_listening"] = []
for name in ("tcp", "tcp6"):
    with open("/proc/net/" + name) as f:
        for row in f.read().splitlines()[1:]:
            if row.split()[3] == "0A":
                out["tcp_listening"].append(name + " " + row.split()[1])

out["processes"] = []
out["threads"] = 0
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            with open("/proc/%s/status" % pid) as f:
                fields = dict(l.split(":", 1) for l in f.read().splitlines() if ":" in l)
        except OSError:
            continue
        uids = sorted(set(fields["Uid"].split() + fields["Gid"].split()))
        out["processes"].append([fields["Name"].strip(), uids])
        out["threads"] += int(fields["Threads"])
stat = os.statvfs("/tmp")
out["tmpfs_used_mb"] = round((stat.f_blocks - stat.f_bfree) * stat.f_frsize / 2**20, 1)
for key, path in (("memory_peak_mb", "/sys/fs/cgroup/memory/memory.max_usage_in_bytes"),
                  ("pids_peak", "/sys/fs/cgroup/pids/pids.current")):
    try:
        with open(path) as f:
            value = int(f.read())
        out[key] = round(value / 2**20, 1) if key.endswith("_mb") else value
    except (OSError, ValueError):
        out[key] = None
print(json.dumps(out))
"""


@dataclass
class ServicesRun:
    """What one locked-down services container printed, and when."""

    lines: list[str]
    stderr: str
    ready_s: float | None  # container start to the script's "services ready"

    def report(self) -> dict[str, object]:
        """The check program's JSON line."""
        found: dict[str, object] = json.loads(self.lines[-1])
        return found


def run_services(
    client: docker.DockerClient,
    image: str,
    check: str = CHECK,
    start: str = START,
    timeout: float = 60.0,
) -> ServicesRun:
    """Start a runner-like container that runs ``start``, then (if it succeeds) ``check``."""
    api = client.api
    created = api.create_container(
        image,
        command=["/bin/sh", "-c", f'{start} && exec python3 -I -B -c "$1"', "services", check],
        user="10001:10001",
        hostname=HOSTNAME,
        working_dir=SCRATCH,
        environment=ENVIRONMENT,
        network_disabled=True,
        labels={
            LABEL: "runner",
            OWNER_LABEL: SandboxConfig().owner,
            CREATED_LABEL: str(int(time.time())),
        },
        host_config=host_config(client, SERVICES_LIMITS),
    )
    container = created["Id"]
    io = api.attach_socket(container, params={"stdout": 1, "stderr": 1, "stream": 1})
    sock = io._sock
    try:
        sock.setblocking(True)
        demux = Demux(sock)
        started = time.monotonic()
        api.start(container)
        deadline = started + timeout
        lines: list[str] = []
        ready_s = None
        while True:
            line, status = demux.line(deadline, OUTPUT_CAP)
            if line is None:
                assert status == "eof", f"{status}: {lines} {demux.stderr.decode()}"
                break
            text = line.decode("utf-8", "replace")
            if text.startswith("services ready") and ready_s is None:
                ready_s = time.monotonic() - started
            lines.append(text)
        return ServicesRun(lines, demux.stderr.decode("utf-8", "replace"), ready_s)
    finally:
        with contextlib.suppress(docker.errors.APIError):  # gone: exited, engine removed it
            api.kill(container)
        sock.close()
        io.close()


@pytest.fixture(scope="module")
def services_image(docker_client: docker.DockerClient) -> str:
    """The services image, built if its inputs changed (the first build takes minutes)."""
    return build_image(profile=SERVICES.name, log=lambda _: None, client=docker_client)


def test_dockerfile_installs_the_profile_packages() -> None:
    """The registry path's package list is the offline path's."""
    text = SERVICES.dockerfile.read_text(encoding="utf-8")
    match = re.search(r'^ARG PACKAGES="([^"]*)"$', text, re.MULTILINE)
    assert match, "no ARG PACKAGES line"
    assert tuple(match.group(1).split()) == SERVICES_PACKAGES
    assert Path(START).name in text


def test_services_start_and_answer_inside_a_locked_down_runner(
    docker_client: docker.DockerClient, services_image: str
) -> None:
    """PostgreSQL, Redis, Flask, FastAPI and git work; no TCP port; everything runs as 10001."""
    run = run_services(docker_client, services_image)
    assert run.ready_s is not None, run.stderr
    steps = [line.rsplit(" ", 2)[0] for line in run.lines[:-1]]
    assert steps == [
        "redis started",
        "cluster copied",
        "postgresql ready",
        "redis ready",
        "services ready",
    ]
    report = run.report()
    assert report["pg_user"] == "runner"
    assert str(report["pg_version"]).startswith("15")
    assert report["pg_rows"] == ["one", "two"]
    assert report["sqlalchemy"] == "ada"
    assert report["redis_ping"] is True
    assert report["redis_get"] == "hello"
    assert report["flask"] == [200, {"from": "flask"}]
    assert report["fastapi"] == [200, {"n": 42}]
    assert report["git_log"] == "first"
    assert report["tcp_listening"] == []
    processes = report["processes"]
    assert isinstance(processes, list)
    names = {name for name, _ in processes}
    assert {"postgres", "redis-server", "python3"} <= names
    assert all(ids == ["10001"] for _, ids in processes), processes


def test_the_start_script_fails_loudly_on_the_read_only_root(
    docker_client: docker.DockerClient, services_image: str
) -> None:
    """A services directory outside the tmpfs stops the script with the reason, nothing runs."""
    start = f"ASSESS_SERVICES_DIR=/opt/assess/data {START}"
    run = run_services(docker_client, services_image, check="print('ran')", start=start)
    assert run.ready_s is None
    assert run.lines == []
    assert "services: cannot create /opt/assess/data" in run.stderr


def test_build_image_cli_forwards_the_profile(runner: FlaskCliRunner, services_image: str) -> None:
    """`flask sandbox build-image --profile services` checks the services image, not the default."""
    result = runner.invoke(args=["sandbox", "build-image", "--profile", "services"])
    assert result.exit_code == 0, result.output
    assert f"sandbox image {services_image} is up to date" in result.output
    unknown = runner.invoke(args=["sandbox", "build-image", "--profile", "huge"])
    assert unknown.exit_code == 2
    assert "'huge' is not one of 'default', 'services'" in unknown.output


def test_an_unknown_profile_is_a_build_error() -> None:
    """The library refuses a profile it does not know, naming the known ones."""
    with pytest.raises(ImageBuildError, match="known: default, services"):
        build_image(profile="huge", log=lambda _: None)
