"""`/metrics` exposes the issue's series after a graded submission, and only to allowed
clients."""

from __future__ import annotations

import re
import urllib.request
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask

from assess.extensions import db
from assess.grading import sandbox_service
from assess.models import Submission, SubmissionKind, SubmissionState, utcnow
from assess.observability.access import MetricsAccess, parse_networks
from assess.observability.grading import start_worker_metrics
from tests.conftest import Factory
from tests.integration.ops.servers import free_port
from tests.integration.ops.world import build_world

SERIES = (
    r'assess_http_requests_total\{method="GET",route="/healthz",status="200"\} [1-9]',
    r'assess_http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="/healthz"\}',
    r'assess_http_request_duration_seconds_count\{method="GET",route="/healthz"\} [1-9]',
    r'assess_grading_runs_total\{kind="final",verdict="passed"\} [1-9]',
    r'assess_grading_duration_seconds_count\{kind="final"\} [1-9]',
    r'assess_grading_queue_wait_seconds_count\{kind="final"\} [1-9]',
    r'assess_grading_runs_recorded\{verdict="passed"\} 1\.0',
    r'assess_grading_queue_depth\{kind="final"\} 0\.0',
    r'assess_grading_queue_depth\{kind="sample"\} 0\.0',
    r"assess_grading_queue_oldest_age_seconds 0\.0",
    r"assess_grading_running 0\.0",
    r"assess_attempts_in_progress 1\.0",
    r'assess_sandbox_spare_containers\{pid="\d+"\} 2\.0',
    r"assess_database_up 1\.0",
)


def test_metrics_expose_the_series_after_a_graded_submission(
    app: Flask, factory: Factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Requests by route, runs by verdict, grading latency, queue depth and age, spare
    containers and attempts in progress all appear."""
    build_world(factory, tmp_path)
    pool = SimpleNamespace(spares=["one", "two"])
    monkeypatch.setattr(sandbox_service, "_sandbox", SimpleNamespace(pool=pool))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    for series in SERIES:
        assert re.search(series, response.text), series
    assert "/i/" not in response.text or "/i/<token>" in response.text


def test_queue_gauges_count_waiting_submissions(
    app: Flask, factory: Factory, tmp_path: Path
) -> None:
    """A queued sample run shows in the depth and the oldest age."""
    world = build_world(factory, tmp_path)
    graded = db.session.get(Submission, world.submission)
    assert graded is not None
    db.session.add(Submission(
        attempt_id=world.started_attempt, task_id=graded.task_id, kind=SubmissionKind.SAMPLE,
        code="x = 1", state=SubmissionState.QUEUED, created_at=utcnow() - timedelta(seconds=90),
    ))  # fmt: skip
    db.session.commit()
    text = app.test_client().get("/metrics").text
    assert re.search(r'assess_grading_queue_depth\{kind="sample"\} 1\.0', text)
    match = re.search(r"^assess_grading_queue_oldest_age_seconds (\S+)$", text, re.M)
    assert match is not None
    age = float(match.group(1))
    assert 89 <= age < 200


@pytest.mark.parametrize(
    ("remote", "header", "status"),
    [
        ("127.0.0.1", None, 200),
        ("10.0.0.7", None, 403),
        ("10.0.0.7", "Bearer wrong-token-value", 403),
        ("10.0.0.7", "Bearer s3cret-metrics-token", 200),
        ("192.168.5.9", None, 200),
    ],
    ids=["loopback", "elsewhere", "bad-token", "token", "allowed-network"],
)
def test_metrics_access(
    app: Flask, remote: str, header: str | None, status: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loopback, the allow-listed network and the bearer token may read; others may not."""
    app.extensions["observability.metrics_access"] = MetricsAccess(
        "s3cret-metrics-token", parse_networks("127.0.0.0/8,192.168.5.0/24")
    )
    headers = {"Authorization": header} if header else {}
    response = app.test_client().get(
        "/metrics", headers=headers, environ_base={"REMOTE_ADDR": remote}
    )
    assert response.status_code == status


def test_worker_serves_its_own_metrics(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """`flask worker` with ASSESS_WORKER_METRICS_PORT serves its counters and the database
    gauges on loopback."""
    port = free_port()
    monkeypatch.setenv("ASSESS_WORKER_METRICS_PORT", str(port))
    assert start_worker_metrics(app) == port
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    assert "assess_grading_queue_depth" in text
    assert "assess_database_up 1.0" in text
    monkeypatch.delenv("ASSESS_WORKER_METRICS_PORT")
    assert start_worker_metrics(app) is None
