"""A smoke run of bench/live.py with tiny numbers: it runs end to end through gunicorn and
reports its figures with nothing lost (no timing asserts: the machine is shared)."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from flask import Flask

from assess.extensions import db
from assess.live import service
from tests.conftest import require
from tests.integration.conftest import gunicorn_problem
from tests.integration.ops.servers import ROOT, app_environment, redis_problem

from .conftest import Scene
from .helpers import YClient, candidate_session, staff_session, wait_until

KEYS = {
    "rooms",
    "edits",
    "lost_edits",
    "converged_rooms",
    "propagation_p50_ms",
    "propagation_p95_ms",
    "server_cpu_s",
}


@pytest.mark.parametrize("relay", [False, True], ids=["one-process", "redis"])
def test_bench_live_runs_and_loses_nothing(relay: bool) -> None:
    """Two rooms for two seconds: the JSON line has every figure, nothing is lost and
    every room converges (with --redis: across two processes)."""
    require(gunicorn_problem(), "gunicorn")
    if relay:
        require(redis_problem(), "Redis")
    command = [sys.executable, "bench/live.py", "--rooms", "2", "--seconds", "2", "--json"]
    done = subprocess.run(
        [*command, *(["--redis"] if relay else [])],
        cwd=ROOT,
        env=app_environment({}),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(figures) >= KEYS
    assert figures["rooms"] == 2
    assert figures["edits"] > 0
    assert figures["lost_edits"] == 0
    assert figures["converged_rooms"] == 2
    assert figures["processes"] == (2 if relay else 1)


def _more_rooms_than_the_pool(server: str, scene: Scene) -> list[YClient]:
    """The interviewer connected to 18 rooms at once, more than the pool holds (5 + 10)."""
    interviewer = db.session.merge(scene.interviewer)
    rooms = [scene.interview_id]
    for n in range(17):
        interview, _ = service.schedule(
            db.session, interviewer, scene.attempt.id, f"Room {n}", "word-frequency"
        )
        db.session.commit()
        rooms.append(interview.id)
    staff_http = staff_session(server, interviewer.email)
    return [YClient(server, room, staff_http) for room in rooms]


def test_open_sockets_hold_no_database_connection(app: Flask, server: str, scene: Scene) -> None:
    """A waiting socket gives its database connection back: more open rooms than the pool
    holds (5 + 10 overflow) must not starve the next request (found by the bench)."""
    clients = _more_rooms_than_the_pool(server, scene)
    try:
        wait_until(lambda: all(c.frames for c in clients), what="every socket to join")
        db.session.commit()  # the test's own connection goes back too
        assert db.engine.pool.checkedout() <= 2, db.engine.pool.status()  # type: ignore[attr-defined]
        started = time.monotonic()
        assert candidate_session(server, scene.token).cookies
        assert time.monotonic() - started < 10
    finally:
        for client in clients:
            client.close()


def test_the_periodic_recheck_gives_the_connection_back(
    app: Flask, server: str, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A socket re-checks every few seconds that its holder may stay; reading the interview
    for that must not keep a database connection until the next check (it did: 13 of 15
    were held by waiting sockets and the update log timed out)."""
    from assess.live import socket as live_socket

    monkeypatch.setattr(live_socket, "RECHECK_SECONDS", 0.2)
    clients = _more_rooms_than_the_pool(server, scene)
    try:
        wait_until(lambda: all(c.frames for c in clients), what="every socket to join")
        time.sleep(1.5)  # several re-checks on every socket
        db.session.commit()
        assert db.engine.pool.checkedout() <= 2, db.engine.pool.status()  # type: ignore[attr-defined]
    finally:
        for client in clients:
            client.close()
